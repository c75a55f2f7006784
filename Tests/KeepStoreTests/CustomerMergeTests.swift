import Foundation
import GRDB
import KeepCore
import KeepTestSupport
import Testing

@testable import KeepStore

/// `keep customer merge`: two records of one person become one, on every replica.
@Suite("Merging customers")
struct CustomerMergeTests {
    let folder = TemporaryFolder()

    private func note(_ text: String, about customer: RecordID, in store: ReplicaStore) throws -> RecordID {
        try store.write(agent: "test") { writer in
            try writer.create(.note, Note.creation(customer: customer, kind: .note, channel: nil, text: text, author: "test", at: Date()))
        }
    }

    @Test func theRecordsOfTheMergedCustomerAreTheKeptOnesAndNothingIsLost() throws {
        let anna = try ReplicaStore.create(at: folder.file("anna.sqlite"), agent: "Anna")
        let kept = try anna.addCustomer("Μαρία Παπαδοπούλου", phone: "+30 210 123 4567")
        let other = try anna.write(agent: "test") { writer in
            try writer.create(
                .customer,
                Customer.creation(name: "Μαρία Π.", phone: "+30 690 000 0000", email: "maria@example.gr", at: Date(), by: "test")
            )
        }
        let spoken = try note("Ρώτησε για το ψυγείο", about: other, in: anna)
        let purchase = try anna.write(agent: "test") { writer in
            try writer.create(.purchase, Purchase.creation(customer: other, item: "Ψυγείο", amount: Money(cents: 49_900), at: Date(), by: "test"))
        }

        let report = try anna.write(agent: "Anna") { writer in try writer.mergeCustomer(other, into: kept) }
        #expect(report.moved == [.note: 1, .purchase: 1])
        #expect(report.filled == ["e-mail"])
        #expect(report.keptInNote == ["name Μαρία Π.", "phone +30 690 000 0000"])
        #expect(try anna.customer(kept)?.email == "maria@example.gr")
        #expect(try anna.customer(kept)?.phone == "+30 210 123 4567")
        #expect(try anna.customer(other) == nil)
        #expect(try anna.recordState(other)?.value(Customer.Field.mergedInto) == .text(kept.rawValue))
        // The records themselves now name the kept customer, so a client that reads no redirect agrees.
        #expect(try anna.recordState(spoken)?.value(Note.Field.customer) == .text(kept.rawValue))
        #expect(try anna.recordState(purchase)?.value(Purchase.Field.customer) == .text(kept.rawValue))
        let notes = try anna.notes(customer: kept).map(\.text)
        #expect(notes.contains("Ρώτησε για το ψυγείο"))
        #expect(notes.contains { $0.contains("Μαρία Π.") && $0.contains("+30 690 000 0000") })
    }

    @Test func whatAnotherLaptopWroteBeforeItHeardOfTheMergeIsShownUnderTheKeptCustomer() throws {
        let anna = try ReplicaStore.create(at: folder.file("anna.sqlite"), agent: "Anna")
        let bob = try ReplicaStore.create(at: folder.file("bob.sqlite"), agent: "Bob")
        let kept = try anna.addCustomer("Jonas Kazlauskas")
        let other = try anna.addCustomer("J. Kazlauskas")
        try anna.sendEverything(to: bob)
        // Bob, offline, writes to the customer Anna is merging away.
        let late = try note("Skambino dėl garantijos", about: other, in: bob)
        _ = try anna.write(agent: "Anna") { writer in try writer.mergeCustomer(other, into: kept) }
        try bob.sendEverything(to: anna)
        try anna.sendEverything(to: bob)
        for store in [anna, bob] {
            #expect(try store.notes(customer: kept).map(\.id).contains(late))
            #expect(try store.notes(customer: other).isEmpty)
            // Shown, not rewritten: no replica wrote the note again, so no conflict of the same value.
            #expect(try store.recordState(late)?.value(Note.Field.customer) == .text(other.rawValue))
            #expect(try store.conflicts().isEmpty)
        }
        // The order of arrival does not matter: a third laptop hearing of the note after the merge agrees.
        let carla = try ReplicaStore.create(at: folder.file("carla.sqlite"), agent: "Carla")
        try anna.sendEverything(to: carla)
        #expect(try carla.notes(customer: kept).map(\.id).contains(late))
    }

    @Test func aChainOfMergesIsFollowedToItsEndAndTakingOneBackEndsItThere() throws {
        let anna = try ReplicaStore.create(at: folder.file("anna.sqlite"), agent: "Anna")
        let kept = try anna.addCustomer("Ali Rezaei")
        let other = try anna.addCustomer("علی رضایی")
        let first = try anna.addCustomer("A. Rezaei")
        _ = try anna.write(agent: "Anna") { writer in try writer.mergeCustomer(first, into: other) }
        _ = try anna.write(agent: "Anna") { writer in try writer.mergeCustomer(other, into: kept) }
        // A note written to the first, arriving after both merges, follows the chain to its end.
        let bob = try ReplicaStore.create(at: folder.file("bob.sqlite"), agent: "Bob")
        let late = try note("تماس گرفت", about: first, in: bob)
        try bob.sendEverything(to: anna)
        #expect(try anna.notes(customer: kept).map(\.id).contains(late))
        // Clearing mergedInto (as keep undo does) ends the redirect there.
        try anna.write(agent: "Anna") { writer in
            try writer.overwrite(other, kind: .customer, [Customer.Field.mergedInto: .null])
        }
        #expect(try !anna.notes(customer: kept).map(\.id).contains(late))
        let redirects = try anna.read { db in try CustomerRedirects.resolve(first, db) }
        #expect(redirects == other)
    }

    @Test func aMergeIsRefusedForOneCustomerTwiceOrAForgottenOne() throws {
        let anna = try ReplicaStore.create(at: folder.file("anna.sqlite"), agent: "Anna")
        let kept = try anna.addCustomer("Ελένη")
        let other = try anna.addCustomer("Ελένη Κ.")
        #expect(throws: StoreError.self) { try anna.write(agent: "a") { writer in try writer.mergeCustomer(kept, into: kept) } }
        _ = try anna.write(agent: "a") { writer in try writer.forget(other) }
        let before = try anna.lastChangeSeq()
        #expect(throws: StoreError.self) { try anna.write(agent: "a") { writer in try writer.mergeCustomer(other, into: kept) } }
        #expect(try anna.lastChangeSeq() == before)
    }

    @Test func forgettingACustomerErasesTheRecordsOfThoseMergedIntoThem() throws {
        let anna = try ReplicaStore.create(at: folder.file("anna.sqlite"), agent: "Anna")
        let kept = try anna.addCustomer("Aistė Petrauskienė", phone: "+370 600 00000")
        let other = try anna.addCustomer("Aistė P.", phone: "+370 611 11111")
        _ = try anna.write(agent: "Anna") { writer in try writer.mergeCustomer(other, into: kept) }
        let bob = try ReplicaStore.create(at: folder.file("bob.sqlite"), agent: "Bob")
        try anna.sendEverything(to: bob)
        let late = try note("Aistė paskambino iš +370 611 11111", about: other, in: bob)
        try bob.sendEverything(to: anna)
        _ = try anna.write(agent: "Anna") { writer in try writer.forget(kept) }
        #expect(try anna.recordState(late)?.value(Note.Field.text) == .text(""))
        let merged = try #require(try anna.recordState(other))
        #expect(merged.value(Customer.Field.phone) == .null)
        #expect(merged.value(Customer.Field.name)?.text?.hasPrefix("Forgotten customer") == true)
        #expect(merged.isDeleted)
    }

    @Test func undoTakesAMergeBackWhole() throws {
        let anna = try ReplicaStore.create(at: folder.file("anna.sqlite"), agent: "Anna")
        let kept = try anna.addCustomer("Μαρία Παπαδοπούλου", phone: "+30 210 123 4567")
        let other = try anna.write(agent: "test") { writer in
            try writer.create(.customer, Customer.creation(name: "Μαρία Π.", phone: nil, email: "maria@example.gr", at: Date(), by: "test"))
        }
        let spoken = try note("Ρώτησε για το ψυγείο", about: other, in: anna)
        _ = try anna.write(agent: "Anna") { writer in try writer.mergeCustomer(other, into: kept) }
        _ = try anna.undo(agent: "Anna")
        #expect(try anna.customer(other)?.email == "maria@example.gr")
        #expect(try anna.customer(kept)?.email == nil)
        #expect(try anna.notes(customer: other).map(\.id) == [spoken])
        #expect(try anna.notes(customer: kept).isEmpty, "the note the merge wrote is taken back too")
        #expect(try anna.read { db in try CustomerRedirects.merged(into: kept, db) }.isEmpty)
    }
}
