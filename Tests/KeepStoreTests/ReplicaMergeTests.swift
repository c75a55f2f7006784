import Foundation
import GRDB
import KeepCore
import KeepTestSupport
import Testing

@testable import KeepStore

/// Two laptops' stores exchanging full record states, as sync will: the store is a real replica.
@Suite("Stores as replicas")
struct ReplicaMergeTests {
    let folder = TemporaryFolder()

    @Test func concurrentEditsOfOneFieldConvergeWithTheSameConflictOnBoth() throws {
        let a = try ReplicaStore.create(at: folder.file("a.sqlite"), agent: "Ελένη")
        let b = try ReplicaStore.create(at: folder.file("b.sqlite"), agent: "Jonas")
        let id = try a.addCustomer("Κώστας", phone: "210 000 0000")
        _ = try a.sendEverything(to: b)
        let earlier = Date()
        try a.write(agent: "Ελένη", now: earlier) { try $0.update(id, kind: .customer, [Customer.Field.phone: .text("210 111 1111")]) }
        try b.write(agent: "Jonas", now: earlier + 5) { try $0.update(id, kind: .customer, [Customer.Field.phone: .text("210 222 2222")]) }
        try b.write(agent: "Jonas", now: earlier + 6) { try $0.update(id, kind: .customer, [Customer.Field.email: .text("k@example.gr")]) }
        let toB = try a.sendEverything(to: b)
        let toA = try b.sendEverything(to: a)
        #expect(toB.conflicted == 1)
        #expect(toA.conflicted == 1)
        #expect(try a.recordState(id) == b.recordState(id))
        #expect(try a.customer(id)?.phone == "210 222 2222")
        #expect(try a.customer(id)?.email == "k@example.gr")
        let conflicts = try a.conflicts()
        #expect(conflicts.count == 1)
        #expect(conflicts.first?.losers.map(\.value) == [.text("210 111 1111")])
        #expect(try b.conflicts() == conflicts)
        // Merged changes are not this replica's writes: nothing new to push.
        #expect(try b.outboxStates().map(\.id) == [id])
    }

    @Test func receivingTheSameStatesTwiceChangesNothing() throws {
        let a = try ReplicaStore.create(at: folder.file("a.sqlite"), agent: "a")
        let b = try ReplicaStore.create(at: folder.file("b.sqlite"), agent: "b")
        try a.addCustomer("Aistė")
        let first = try a.sendEverything(to: b)
        let second = try a.sendEverything(to: b)
        #expect(first.changed == 1)
        #expect(second.changed == 0)
        #expect(second.unchanged == 1)
        #expect(try b.customers().map(\.name) == ["Aistė"])
        #expect(try b.search("aiste").count == 1)
    }

    @Test func anEditConcurrentWithADeleteBringsTheRecordBack() throws {
        let a = try ReplicaStore.create(at: folder.file("a.sqlite"), agent: "a")
        let b = try ReplicaStore.create(at: folder.file("b.sqlite"), agent: "b")
        let id = try a.addCustomer("Ζωή")
        _ = try a.sendEverything(to: b)
        try a.write(agent: "a") { try $0.delete(id, kind: .customer) }
        try b.write(agent: "b") { try $0.update(id, kind: .customer, [Customer.Field.phone: .text("2310 555 555")]) }
        _ = try a.sendEverything(to: b)
        _ = try b.sendEverything(to: a)
        #expect(try a.customer(id)?.phone == "2310 555 555")
        #expect(try b.customer(id)?.name == "Ζωή")
        #expect(try a.conflicts().map(\.key) == ["\(id.rawValue)/deleted"])
    }
}

/// A pulled page holding a state that is not well formed (MERGE.md §2.7) is refused whole: nothing of it is
/// merged and its cursor is not stored, so the next sync asks for the same page again (Sync/openapi.yaml's pull).
@Suite("A pulled page that is not well formed")
struct MalformedPullPageTests {
    let folder = TemporaryFolder()

    @Test func aKnownRecordsStateThatIsNotWellFormedRejectsThePageAndKeepsTheCursor() throws {
        let store = try ReplicaStore.create(at: folder.file("a.sqlite"), agent: "ana")
        let id = try store.addCustomer("Ada")
        try store.set(.syncCursor, to: "5e5e5e5e5e5e5e5e.3")
        let before = try #require(try store.recordState(id))
        let stranger = Dot(replica: ReplicaID("b2b2b2b2b2b2b2b2")!, counter: 9)
        // An entry whose dot the state's context does not cover.
        var fields = before.fields
        fields[Customer.Field.name] = FieldRegister([FieldEntry(dot: stranger, value: .text("Eve"), at: 1_763_805_600_000, by: "eve")])
        let malformed = RecordState(id: id, kind: .customer, context: before.context, fields: fields, tombstones: [])
        #expect(!malformed.isWellFormed)
        let other = RecordState(id: .random(), kind: .customer)
        let error = #expect(throws: StoreError.self) { try store.merge([other, malformed], thenSetCursor: "5e5e5e5e5e5e5e5e.9") }
        #expect(error?.description.contains("not well formed") == true)
        #expect(try store.recordState(id) == before)
        #expect(try store.customer(id)?.name == "Ada")
        #expect(try store.setting(.syncCursor) == "5e5e5e5e5e5e5e5e.3")
        #expect(try store.recordState(other.id) == nil)
    }
}
