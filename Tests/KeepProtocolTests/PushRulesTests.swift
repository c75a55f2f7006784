import Foundation
import KeepCore
import KeepProtocol
import KeepStore
import KeepTestSupport
import Testing

/// The rules a push must follow beyond authorship (PROTOCOL.md §5.2): no value leaves a field without a write
/// over it, no reserved field name, and a refused push binds nothing.
@Suite struct PushRulesTests {
    let folder = TemporaryFolder()
    let ana = ReplicaID("a1a1a1a1a1a1a1a1")!
    let bea = ReplicaID("b2b2b2b2b2b2b2b2")!
    let directory = InMemoryDeviceDirectory(devices: ["ana", "bea"])

    private func service() throws -> SyncService {
        SyncService(store: try folder.store("server", agent: "server"), tenant: "corner-shop")
    }

    private func push(_ states: [RecordState], as replica: ReplicaID, to service: SyncService) throws(SyncError) -> PushResponse {
        try service.push(PushRequest(replica: replica, records: states), by: replica == ana ? "ana" : "bea", in: directory)
    }

    /// Ana's customer with a name and a phone, written at counters 1 and 2; Bea then holds it as the server does.
    private func customer() -> RecordState {
        var state = RecordState(id: .random(), kind: .customer)
        state.write(["name": .text("Μαρία Παπαδοπούλου")], dot: Dot(replica: ana, counter: 1), at: 1_763_805_600_000, by: "ana")
        state.write(["phone": .text("+30 210 123 4567")], dot: Dot(replica: ana, counter: 2), at: 1_763_805_660_000, by: "ana")
        return state
    }

    /// `state` less field `field`, its context unchanged: what a broken client sends after dropping a value.
    private func omitting(_ field: String, from state: RecordState) -> RecordState {
        var fields = state.fields
        fields[field] = nil
        return RecordState(id: state.id, kind: state.kind, context: state.context, fields: fields, tombstones: state.tombstones)
    }

    private func expectRefused(_ because: String, _ body: () throws(SyncError) -> PushResponse) {
        do {
            _ = try body()
            Issue.record("the push was accepted")
        } catch {
            #expect(error.code == .rejectedRecord && error.httpStatus == 422, "\(error)")
            #expect(error.message.contains(because), "\(error.message)")
        }
    }

    @Test func aPushThatLeavesAValueOutWithoutWritingOverItIsRefusedAndChangesNothing() throws {
        let service = try service()
        let state = customer()
        _ = try push([state], as: ana, to: service)
        let before = try service.store.lastChangeSeq()
        expectRefused("field phone") { () throws(SyncError) in try push([omitting("phone", from: state)], as: bea, to: service) }
        expectRefused("field phone") { () throws(SyncError) in try push([omitting("phone", from: state)], as: ana, to: service) }
        #expect(try service.store.lastChangeSeq() == before)
        #expect(try service.store.recordState(state.id) == state, "the phone is still there")
    }

    @Test func aPushThatLeavesADeleteOutWithoutANewerWriteIsRefused() throws {
        let service = try service()
        var state = customer()
        state.delete(dot: Dot(replica: ana, counter: 3), at: 1_763_805_700_000, by: "ana")
        _ = try push([state], as: ana, to: service)
        let undeleted = RecordState(id: state.id, kind: state.kind, context: state.context, fields: state.fields, tombstones: [])
        expectRefused("leaves out delete") { () throws(SyncError) in try push([undeleted], as: bea, to: service) }
        #expect(try service.store.recordState(state.id)?.isDeleted == true)
    }

    @Test func everyWayKeepTakesAValueBackIsAccepted() throws {
        let service = try service()
        var state = customer()
        _ = try push([state], as: ana, to: service)
        // Overwriting a field, as a person or a settling write does.
        var bea = state
        bea.write(["phone": .text("+30 210 765 4321")], dot: Dot(replica: self.bea, counter: 1), at: 1_763_805_800_000, by: "bea")
        #expect(try push([bea], as: self.bea, to: service).changed == 1)
        // A delete, then keeping the record with a write of no field (it stands only in the context).
        state = bea
        state.delete(dot: Dot(replica: ana, counter: 3), at: 1_763_805_900_000, by: "ana")
        _ = try push([state], as: ana, to: service)
        state.write([:], dot: Dot(replica: ana, counter: 4), at: 1_763_806_000_000, by: "ana")
        #expect(try push([state], as: ana, to: service).changed == 1)
        // Deleting again: the new tombstone replaces the old.
        state.delete(dot: Dot(replica: ana, counter: 5), at: 1_763_806_100_000, by: "ana")
        state.delete(dot: Dot(replica: ana, counter: 6), at: 1_763_806_200_000, by: "ana")
        #expect(try push([state], as: ana, to: service).changed == 1)
        #expect(try service.store.recordState(state.id) == state)
    }

    @Test func aRelayedOverwriteAfterARestoreReplacesTheRestoredValue() throws {
        let service = try service()
        let state = customer()
        _ = try push([state], as: ana, to: service)
        // Bea overwrote the phone, and the server acknowledged it before it was restored to a copy without it.
        var overwritten = state
        overwritten.write(["phone": .text("0303")], dot: Dot(replica: bea, counter: 7), at: 1_763_805_800_000, by: "bea")
        try directory.bind("bea", to: bea, pushing: 7)
        try service.store.set(.storeEpoch, to: "restored-1")
        // Ana relays Bea's write: a dot of another replica the restored store has not seen, within what Bea pushed.
        #expect(try push([overwritten], as: ana, to: service).changed == 1)
        #expect(try service.store.recordState(state.id)?.value("phone") == .text("0303"))
    }

    @Test func aFieldNamedDeletedIsRefused() throws {
        let service = try service()
        var state = RecordState(id: .random(), kind: .customer)
        state.write(["name": .text("Jonas"), Conflict.deletionName: .text("yes")], dot: Dot(replica: ana, counter: 1), at: 0, by: "ana")
        expectRefused("reserved") { () throws(SyncError) in try push([state], as: ana, to: service) }
    }

    @Test func aRefusedPushBindsNothingAndRaisesNoCounter() throws {
        let service = try service()
        let state = customer()
        var forged = RecordState(id: .random(), kind: .customer)
        forged.write(["name": .text("Forger")], dot: Dot(replica: ana, counter: 900), at: 0, by: "ana")
        forged.write(["phone": .text("0")], dot: Dot(replica: bea, counter: 1), at: 0, by: "bea")
        expectRefused("has not seen") { () throws(SyncError) in try push([state, forged], as: ana, to: service) }
        #expect(directory.replica(of: "ana") == nil)
        #expect(try directory.pushedCounters(ofShopOf: "ana") == VersionVector())
        #expect(try service.store.lastChangeSeq() == 0)
        _ = try push([state], as: ana, to: service)
        #expect(directory.replica(of: "ana") == ana)
        #expect(try directory.pushedCounters(ofShopOf: "ana") == VersionVector([ana: 2]))
    }
}
