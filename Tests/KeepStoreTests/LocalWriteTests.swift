import Foundation
import GRDB
import KeepCore
import KeepTestSupport
import Testing

@testable import KeepStore

@Suite("Local writes")
struct LocalWriteTests {
    let folder = TemporaryFolder()

    @Test func everyWriteMintsADotAndAppendsToTheOutboxInOneTransaction() throws {
        let store = try ReplicaStore.create(at: folder.file("keep.sqlite"), agent: "Ελένη")
        let id = try store.addCustomer("Γιώργος Παπαδόπουλος", phone: "+30 210 1234567")
        try store.write(agent: "Ελένη") { writer in
            try writer.update(id, kind: .customer, [Customer.Field.email: .text("g@example.gr")])
        }
        let state = try #require(try store.recordState(id))
        #expect(state.context == VersionVector([store.replicaID: 2]))
        #expect(state.fields[Customer.Field.email]?.entries.first?.dot == Dot(replica: store.replicaID, counter: 2))
        #expect(state.fields[Customer.Field.name]?.entries.first?.dot == Dot(replica: store.replicaID, counter: 1))
        let outbox = try store.read { db in try Row.fetchAll(db, sql: "SELECT recordID, counter FROM outbox ORDER BY seq") }
        #expect(outbox.map { $0["counter"] as Int64 } == [1, 2])
        #expect(try store.outboxCount() == 1)
        #expect(try store.customer(id)?.email == "g@example.gr")
    }

    @Test func aFailingWriteChangesNothing() throws {
        struct Abort: Error {}
        let store = try ReplicaStore.create(at: folder.file("keep.sqlite"), agent: "a")
        #expect(throws: Abort.self) {
            try store.write(agent: "a") { writer in
                try writer.create(.customer, Customer.creation(name: "Lost", phone: nil, email: nil, at: Date(), by: "a"))
                throw Abort()
            }
        }
        #expect(try store.customers().isEmpty)
        #expect(try store.outboxCount() == 0)
        let counter = try store.read { db in try Int.fetchOne(db, sql: "SELECT counter FROM replica") }
        #expect(counter == 0)
    }

    @Test func updatingTheWrongKindOrAMissingRecordIsRefused() throws {
        let store = try ReplicaStore.create(at: folder.file("keep.sqlite"), agent: "a")
        let customer = try store.addCustomer("Ona Kazlauskienė")
        let wrongKind = #expect(throws: StoreError.self) {
            try store.write(agent: "a") { writer in try writer.update(customer, kind: .promise, [Promise.Field.status: .text("kept")]) }
        }
        #expect(wrongKind?.description.contains("is a customer, not a promise") == true)
        #expect(throws: StoreError.self) {
            try store.write(agent: "a") { writer in try writer.update(RecordID.random(), kind: .customer, [:]) }
        }
    }

    @Test func deleteHidesTheRecordButKeepsItsState() throws {
        let store = try ReplicaStore.create(at: folder.file("keep.sqlite"), agent: "a")
        let id = try store.addCustomer("Šarūnas")
        try store.write(agent: "a") { writer in try writer.delete(id, kind: .customer) }
        #expect(try store.customer(id) == nil)
        #expect(try store.search("sarunas").isEmpty)
        let state = try #require(try store.recordState(id))
        #expect(state.isDeleted)
        #expect(state.value(Customer.Field.name) == .text("Šarūnas"))
        let error = #expect(throws: StoreError.self) {
            try store.write(agent: "a") { writer in try writer.update(id, kind: .customer, [Customer.Field.name: .text("x")]) }
        }
        #expect(error?.description.contains("was deleted") == true)
    }

    @Test func agendaOrdersOverdueThenRepliesThenToday() throws {
        let store = try ReplicaStore.create(at: folder.file("keep.sqlite"), agent: "a")
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let hour: TimeInterval = 3600
        let customer = try store.addCustomer("Μαρία", now: now)
        try store.write(agent: "a", now: now) { writer in
            for (text, due) in [("late two days", -48 * hour), ("late one hour", -hour), ("due soon", 2 * hour), ("next week", 100 * hour)] {
                try writer.create(.promise, Promise.creation(customer: customer, text: text, dueAt: now + due, at: now, by: "a"))
            }
            for (text, due) in [("asked later", 20 * hour), ("asked first", 3 * hour)] {
                try writer.create(
                    .note,
                    Note.creation(customer: customer, kind: .inquiry, channel: .email, text: text, author: "a", at: now, replyDueAt: now + due)
                )
            }
            try writer.create(.followUp, FollowUp.creation(customer: customer, text: "call back", dueAt: now + 30 * hour, at: now, by: "a"))
        }
        let agenda = try store.agenda(now: now, endOfToday: now + 5 * hour, lookAhead: now + 7 * 24 * hour)
        #expect(agenda.overduePromises.map(\.text) == ["late two days", "late one hour"])
        #expect(agenda.repliesOwed.map(\.text) == ["asked first", "asked later"])
        #expect(agenda.promisesDueToday.map(\.text) == ["due soon"])
        #expect(agenda.promisesComingUp.map(\.text) == ["next week"], "due in 100 hours: after today, within the week")
        #expect(agenda.followUpsComingUp.map(\.text) == ["call back"])
        #expect(agenda.customers[customer]?.name == "Μαρία")
    }

    @Test func agendaCutsEachListToItsFirstRowsAndCountsThemAll() throws {
        let store = try ReplicaStore.create(at: folder.file("keep.sqlite"), agent: "a")
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let hour: TimeInterval = 3600
        let customer = try store.addCustomer("Ona Jonaitienė", now: now)
        var paused: RecordID?
        try store.write(agent: "a", now: now) { writer in
            for late in 1...7 {
                try writer.create(
                    .promise,
                    Promise.creation(customer: customer, text: "late \(late)", dueAt: now - Double(late) * hour, at: now, by: "a")
                )
            }
            for left in 1...3 {
                let id = try writer.create(
                    .note,
                    Note.creation(
                        customer: customer,
                        kind: .inquiry,
                        channel: nil,
                        text: "asked \(left)",
                        author: "a",
                        at: now,
                        replyDueAt: now + Double(left) * hour
                    )
                )
                paused = left == 1 ? id : paused
            }
        }
        try store.write(agent: "a", now: now) { writer in try writer.update(try #require(paused), kind: .note, Note.waiting(since: now)) }
        let agenda = try store.agenda(now: now, endOfToday: now + 5 * hour, lookAhead: now + 48 * hour, limit: 2)
        #expect(agenda.overduePromises.map(\.text) == ["late 7", "late 6"])
        #expect(agenda.totals.overduePromises == 7)
        #expect(agenda.repliesOwed.map(\.text) == ["asked 2", "asked 3"], "the paused inquiry is not owed while waiting on the customer")
        #expect(agenda.totals.repliesOwed == 2)
        #expect(agenda.waitingOnCustomers.map(\.text) == ["asked 1"])
        #expect(agenda.totals.waitingOnCustomers == 1)
        let whole = try store.agenda(now: now, endOfToday: now + 5 * hour, lookAhead: now + 48 * hour)
        #expect(whole.overduePromises.count == 7 && whole.totals.overduePromises == 7)
        #expect(try store.repliesOwed().map(\.text) == ["asked 2", "asked 3", "asked 1"], "waiting ones last")
    }

    @Test func referencesMatchIDPrefixesAndNamesWithoutAccents() throws {
        let store = try ReplicaStore.create(at: folder.file("keep.sqlite"), agent: "a")
        let maria = try store.addCustomer("Μαρία Παπαδοπούλου")
        try store.addCustomer("Μαρίνα Ιωάννου")
        try store.addCustomer("Jonas Jonaitis")
        #expect(try store.customers(matching: "ΠΑΠΑΔΟΠΟΥΛΟΥ").map(\.id) == [maria])
        #expect(try store.customers(matching: String(maria.rawValue.prefix(6))).map(\.id) == [maria])
        #expect(try store.customers(matching: "μαρι").count == 2)
        #expect(try store.customers(matching: "Petras").isEmpty)
    }
}
