import Foundation
import GRDB
import KeepCore
import KeepTestSupport
import Testing

@testable import KeepStore

/// `keep undo` on a real store: each local change is logged with what it found, and taken back by a new write.
@Suite("Taking back a change")
struct UndoTests {
    let folder = TemporaryFolder()

    /// Sends every record of `from` to `to`, as a sync would.
    private func addNote(_ store: ReplicaStore, about customer: RecordID, _ text: String) throws -> RecordID {
        try store.write(agent: "Ελένη") { writer in
            try writer.create(.note, Note.creation(customer: customer, kind: .note, channel: nil, text: text, author: "Ελένη", at: Date()))
        }
    }

    @Test func takingBackACreationDeletesTheRecordWithANewDot() throws {
        let store = try ReplicaStore.create(at: folder.file("keep.sqlite"), agent: "Ελένη")
        let maria = try store.addCustomer("Μαρία Παπαδοπούλου")
        let note = try addNote(store, about: maria, "Ρώτησε για την εγγύηση")
        #expect(try store.undoHistory().first?.summary == "added a note about Μαρία Παπαδοπούλου")

        let plan = try store.undo(agent: "Ελένη")
        #expect(plan.change.summary == "added a note about Μαρία Παπαδοπούλου")
        #expect(try store.notes(customer: maria).isEmpty)
        let state = try #require(try store.recordState(note))
        #expect(state.isDeleted)
        #expect(state.tombstones.map(\.dot) == [Dot(replica: store.replicaID, counter: 3)], "a new write, not a rewind")
        #expect(try store.outboxStates().map(\.id).contains(note), "it syncs like any write")
        #expect(try store.customer(maria) != nil, "only the note was the change")
    }

    @Test func takingBackAnEditWritesTheEarlierValuesAgainWithNewDots() throws {
        let store = try ReplicaStore.create(at: folder.file("keep.sqlite"), agent: "Ελένη")
        let ona = try store.addCustomer("Ona Jonaitienė", phone: "+370 612 34567")
        let promise = try store.write(agent: "Ελένη") { writer in
            try writer.create(.promise, Promise.creation(customer: ona, text: "Paskambinti", dueAt: Date() + 3600, at: Date(), by: "Ελένη"))
        }
        try store.write(agent: "Ελένη") { writer in
            try writer.update(ona, kind: .customer, [Customer.Field.phone: .text("+370 699 99999"), Customer.Field.email: .text("ona@example.lt")])
            try writer.update(promise, kind: .promise, Promise.keeping(at: Date(), by: "Ελένη"))
        }
        #expect(try store.undoHistory().first?.summary == "changed the customer Ona Jonaitienė: phone, email (and 1 other record)")
        let edited = try #require(try store.recordState(ona))

        try store.undo(agent: "Ελένη")
        let customer = try #require(try store.recordState(ona))
        #expect(customer.value(Customer.Field.phone) == .text("+370 612 34567"))
        #expect(customer.value(Customer.Field.email) == .null, "the email had none: it is written null")
        let phoneDot = try #require(customer.fields[Customer.Field.phone]?.entries.first?.dot)
        #expect(phoneDot.counter > (edited.fields[Customer.Field.phone]?.entries.first?.dot.counter ?? .max), "a new dot for the earlier value")
        #expect(customer.conflicts.isEmpty)
        let kept = try #require(try store.recordState(promise))
        #expect(kept.value(Promise.Field.status) == .text("open"))
        #expect(kept.value(Promise.Field.keptAt) == .null, "keptAt was absent before: it is written null")
        #expect(try store.promise(promise)?.status == .open)
    }

    @Test func takingBackADeleteBringsTheRecordBack() throws {
        let store = try ReplicaStore.create(at: folder.file("keep.sqlite"), agent: "a")
        let id = try store.addCustomer("Sepideh Rezaei")
        try store.write(agent: "a") { writer in try writer.delete(id, kind: .customer) }
        #expect(try store.undoHistory().first?.summary == "deleted the customer Sepideh Rezaei")
        try store.undo(agent: "a")
        #expect(try store.customer(id)?.name == "Sepideh Rezaei")
        #expect(try store.search("rezaei").count == 1)
        #expect(try store.recordState(id)?.tombstones.isEmpty == true)
    }

    @Test func changesAreTakenBackNewestFirstAndTakingBackIsNotItselfAChange() throws {
        let store = try ReplicaStore.create(at: folder.file("keep.sqlite"), agent: "a")
        let id = try store.addCustomer("Νίκος", phone: "1")
        for phone in ["2", "3"] {
            try store.write(agent: "a") { writer in try writer.update(id, kind: .customer, [Customer.Field.phone: .text(phone)]) }
        }
        #expect(
            try store.undoHistory().map(\.summary) == [
                "changed the customer Νίκος: phone", "changed the customer Νίκος: phone", "added the customer Νίκος",
            ]
        )
        try store.undo(agent: "a")
        #expect(try store.customer(id)?.phone == "2")
        #expect(try store.undoHistory().count == 2, "the undo is not put on the stack")
        try store.undo(agent: "a")
        #expect(try store.customer(id)?.phone == "1")
        try store.undo(agent: "a")
        #expect(try store.customer(id) == nil)
        let empty = #expect(throws: StoreError.self) { try store.undo(agent: "a") }
        #expect(empty?.description.hasPrefix("nothing to undo") == true)
        #expect(empty.map(ExitStatus.init) == .dataError)
    }

    @Test func anEditThatArrivedSinceRefusesTheUndoUnlessForced() throws {
        let a = try ReplicaStore.create(at: folder.file("a.sqlite"), agent: "Ελένη")
        let b = try ReplicaStore.create(at: folder.file("b.sqlite"), agent: "Jonas")
        let id = try a.addCustomer("Κώστας", phone: "210 000 0000")
        try a.write(agent: "Ελένη") { try $0.update(id, kind: .customer, [Customer.Field.phone: .text("210 111 1111")]) }
        try a.sendEverything(to: b)
        try b.write(agent: "Jonas") { try $0.update(id, kind: .customer, [Customer.Field.phone: .text("210 222 2222")]) }
        try b.sendEverything(to: a)
        let before = try a.recordState(id)

        let refused = #expect(throws: StoreError.self) { try a.undo(agent: "Ελένη") }
        let message = refused?.description ?? ""
        #expect(message.contains("the customer \(id.short)'s phone was changed since"), "\(message)")
        #expect(message.contains("change it by hand") && message.contains("--force"), "\(message)")
        #expect(try a.recordState(id) == before, "a refused undo writes nothing")
        #expect(try a.undoPlan().problems.map(\.description) == ["the customer \(id.short)'s phone was changed since"])

        let forced = try a.undo(agent: "Ελένη", force: true)
        #expect(forced.problems.count == 1)
        #expect(try a.customer(id)?.phone == "210 000 0000")
        try a.sendEverything(to: b)
        #expect(try b.customer(id)?.phone == "210 000 0000", "the other laptop follows")
    }

    @Test func aFieldInConflictRefusesTheUndo() throws {
        let a = try ReplicaStore.create(at: folder.file("a.sqlite"), agent: "a")
        let b = try ReplicaStore.create(at: folder.file("b.sqlite"), agent: "b")
        let id = try a.addCustomer("Aistė", phone: "1")
        try a.sendEverything(to: b)
        try a.write(agent: "a") { try $0.update(id, kind: .customer, [Customer.Field.phone: .text("2")]) }
        try b.write(agent: "b") { try $0.update(id, kind: .customer, [Customer.Field.phone: .text("3")]) }
        try b.sendEverything(to: a)
        let refused = #expect(throws: StoreError.self) { try a.undo(agent: "a") }
        #expect(refused?.description.contains("the customer \(id.short)'s phone is in conflict") == true, "\(String(describing: refused))")
    }

    @Test func anotherReplicasWritesAreNeverChangesOfThisOne() throws {
        let a = try ReplicaStore.create(at: folder.file("a.sqlite"), agent: "a")
        let b = try ReplicaStore.create(at: folder.file("b.sqlite"), agent: "b")
        try b.addCustomer("Γιάννης")
        try b.sendEverything(to: a)
        #expect(try a.undoHistory().isEmpty)
        #expect(throws: StoreError.self) { try a.undo(agent: "a") }
    }

    @Test func theHistoryKeepsOnlyTheLastHundredChanges() throws {
        let store = try ReplicaStore.create(at: folder.file("keep.sqlite"), agent: "a")
        let id = try store.addCustomer("Šarūnas", phone: "0")
        for phone in 1...UndoLog.changeLimit + 4 {
            try store.write(agent: "a") { try $0.update(id, kind: .customer, [Customer.Field.phone: .text(String(phone))]) }
        }
        let history = try store.undoHistory()
        #expect(history.count == UndoLog.changeLimit)
        let kept = try store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM undoRecord") }
        #expect(kept == UndoLog.changeLimit, "the records of dropped changes go with them")
        for _ in 0..<UndoLog.changeLimit { try store.undo(agent: "a") }
        #expect(try store.customer(id)?.phone == "4", "back to the oldest change kept")
    }

    @Test func summariesSayWhatAChangeDidAndAbout() throws {
        let store = try ReplicaStore.create(at: folder.file("keep.sqlite"), agent: "a")
        let maria = try store.addCustomer("Μαρία")
        try store.write(agent: "a") { writer in
            for name in ["Ona", "Jonas", "Sepideh"] {
                try writer.create(.customer, Customer.creation(name: name, phone: nil, email: nil, at: Date(), by: "a"))
            }
        }
        let inquiry = try store.write(agent: "a") { writer in
            try writer.create(.note, Note.creation(customer: maria, kind: .inquiry, channel: .phone, text: "Πότε;", author: "a", at: Date()))
        }
        try store.write(agent: "a") { writer in try writer.delete(inquiry, kind: .note) }
        #expect(
            try store.undoHistory().map(\.summary) == [
                "deleted the inquiry \(inquiry.short) about Μαρία", "added an inquiry about Μαρία", "added 3 customers", "added the customer Μαρία",
            ]
        )
        #expect(try store.undoHistory().map(\.records) == [1, 1, 3, 1])
    }

    @Test func forgettingACustomerErasesWhatTheLogHeldAboutThemAndCannotBeTakenBack() throws {
        let path = folder.file("keep.sqlite")
        let store = try ReplicaStore.create(at: path, agent: "a")
        let andreas = try store.addCustomer("Ανδρέας Ξενοφώντος", phone: "+30 699 1112223")
        _ = try addNote(store, about: andreas, "Ρώτησε για το ψυγείο Zephyr-Q7")
        try store.write(agent: "a") { try $0.update(andreas, kind: .customer, [Customer.Field.name: .text("Ανδρέας Ξ. Ζαχαρίου")]) }
        try store.write(agent: "a") { writer in _ = try writer.forget(andreas) }

        let history = try store.undoHistory()
        #expect(history.map(\.summary) == ["forgot the customer \(andreas.short)"], "nothing older can be reached past a forget")
        #expect(history.first?.irreversible == .forget)
        let refused = #expect(throws: StoreError.self) { try store.undo(agent: "a") }
        #expect(refused?.description.contains("forgotten data is erased for good") == true)

        try store.checkpoint()
        try store.close()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        for secret in ["Ξενοφώντος", "Ζαχαρίου", "1112223", "Zephyr-Q7"] {
            #expect(bytes.range(of: Data(secret.utf8)) == nil, "the file still holds \"\(secret)\"")
        }
    }

    @Test func aForgetFromAnotherReplicaErasesWhatTheLogHeldAboutThem() throws {
        let a = try ReplicaStore.create(at: folder.file("a.sqlite"), agent: "a")
        let b = try ReplicaStore.create(at: folder.file("b.sqlite"), agent: "b")
        let andreas = try a.addCustomer("Ανδρέας Ξενοφώντος", phone: "+30 699 1112223")
        let jonas = try a.addCustomer("Jonas")
        _ = try addNote(a, about: andreas, "Zephyr-Q7")
        try a.write(agent: "a") { try $0.update(jonas, kind: .customer, [Customer.Field.phone: .text("+370 600 00000")]) }
        try a.sendEverything(to: b)
        try b.write(agent: "b") { writer in _ = try writer.forget(andreas) }
        try b.sendEverything(to: a)

        let history = try a.undoHistory()
        #expect(history.map(\.summary) == ["changed the customer Jonas: phone", UndoLog.forgottenSummary])
        #expect(history.last?.irreversible == .forgotten)
        let logged = try a.read { db in
            try String.fetchAll(db, sql: "SELECT summary FROM undoChange UNION ALL SELECT fields FROM undoRecord").joined(separator: " ")
        }
        for secret in ["Ξενοφώντος", "1112223", "Zephyr-Q7"] { #expect(!logged.contains(secret), "the undo log still holds \"\(secret)\"") }
        try a.undo(agent: "a")
        let refused = #expect(throws: StoreError.self) { try a.undo(agent: "a") }
        #expect(refused?.description.contains("about a customer forgotten since") == true)
    }

    @Test func aStoreOfTheLastSchemaGetsTheUndoLog() throws {
        let path = folder.file("keep.sqlite")
        let old = try ReplicaStore.create(
            at: path,
            agent: "a",
            schemaUpTo: "v7: phone numbers are found by their digits, however they are written"
        )
        try old.close()
        let store = try ReplicaStore.open(at: path)
        let id = try store.addCustomer("Ona")
        try store.undo(agent: "a")
        #expect(try store.customer(id) == nil)
    }
}
