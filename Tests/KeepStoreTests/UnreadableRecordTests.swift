import Foundation
import GRDB
import KeepCore
import KeepTestSupport
import Testing

@testable import KeepStore

/// A record whose fields this build cannot read is kept, replicated as it is, and listed with the reason; it is
/// never counted as received and then hidden without a word (issue 12, item 4).
@Suite("Records the reader cannot read")
struct UnreadableRecordTests {
    let folder = TemporaryFolder()
    let peer = ReplicaID("b2b2b2b2b2b2b2b2")!

    /// A state written by another replica with these values in one write.
    private func state(_ kind: RecordKind, _ values: [String: FieldValue], id: RecordID = .random()) -> RecordState {
        var state = RecordState(id: id, kind: kind)
        state.write(values, dot: Dot(replica: peer, counter: 1), at: 1_763_805_600_000, by: "bea")
        return state
    }

    @Test func aCustomerWhoseNameIsNotTextIsListedWithTheReasonAndKept() throws {
        let store = try ReplicaStore.create(at: folder.file("a.sqlite"), agent: "ana")
        let bad = state(.customer, [Customer.Field.name: .integer(42), Customer.Field.createdAt: .time(Date())])
        let report = try store.merge([bad])
        #expect(report.changed == 1)
        #expect(try store.customers().isEmpty)
        let unreadable = try store.unreadableRecords()
        #expect(unreadable.map(\.recordID) == [bad.id])
        #expect(unreadable.first?.kind == .customer)
        #expect(unreadable.first?.field == "name")
        #expect(unreadable.first?.reason == "the integer 42 is not a text")
        // Kept as it came, so it goes on to every replica that syncs from this one.
        #expect(try store.recordState(bad.id) == bad)
        #expect(try store.changes(after: 0, limit: 10).states == [bad])
    }

    @Test func aNoteWithoutItsTimeIsListedAndLeavesTheListOnceRepaired() throws {
        let store = try ReplicaStore.create(at: folder.file("a.sqlite"), agent: "ana")
        let customer = try store.addCustomer("Ada")
        let values: [String: FieldValue] = [
            Note.Field.customer: .text(customer.rawValue), Note.Field.kind: .text("note"), Note.Field.text: .text("called"),
        ]
        let bad = state(.note, values)
        _ = try store.merge([bad])
        #expect(try store.unreadableRecords().map { "\($0.field): \($0.reason)" } == ["at: missing"])
        #expect(try store.unreadableCount() == 1)
        // Another replica writes the missing field: the record is readable, shown, and off the list.
        var repaired = bad
        repaired.write([Note.Field.at: .time(Date())], dot: Dot(replica: peer, counter: 2), at: 1_763_805_700_000, by: "bea")
        _ = try store.merge([repaired])
        #expect(try store.unreadableRecords().isEmpty)
        #expect(try store.notes(customer: customer).map(\.text) == ["called"])
    }

    @Test func aDeletedUnreadableRecordLeavesTheList() throws {
        let store = try ReplicaStore.create(at: folder.file("a.sqlite"), agent: "ana")
        var bad = state(.survey, [Survey.Field.customer: .text(RecordID.random().rawValue), Survey.Field.score: .integer(9)])
        _ = try store.merge([bad])
        #expect(try store.unreadableRecords().map(\.reason) == ["the integer 9 is not an integer 1 to 5"])
        bad.delete(dot: Dot(replica: peer, counter: 2), at: 1_763_805_700_000, by: "bea")
        _ = try store.merge([bad])
        #expect(try store.unreadableCount() == 0)
    }

    @Test func migratingAnOlderStoreListsTheRecordsItHid() throws {
        let path = folder.file("old.sqlite")
        let old = try ReplicaStore.create(at: path, agent: "ana", schemaUpTo: "v4: the reply clock pauses while waiting on the customer")
        let bad = state(.promise, [Promise.Field.text: .text("call back")])
        try old.storeAsAnOlderBuild(bad)
        try old.close()
        let migrated = try ReplicaStore.open(at: path)
        #expect(try migrated.unreadableRecords().map { "\($0.kind.rawValue) \($0.field): \($0.reason)" } == ["promise customer: missing"])
    }

    /// The reader's checks and the model types agree: a record is unreadable exactly when a model cannot be read.
    @Test(arguments: RecordKind.allCases)
    func everyRequiredFieldStopsTheModelAndNoOtherDoes(_ kind: RecordKind) throws {
        let complete = Dictionary(uniqueKeysWithValues: kind.fields.map { ($0.name, Self.sample($0.value)) })
        let readable = state(kind, complete)
        #expect(kind.problem(reading: readable) == nil)
        #expect(kind.row.init(record: readable) != nil)
        for field in kind.fields {
            for broken in [nil, FieldValue.bool(true)] {
                var values = complete
                values[field.name] = broken
                let record = state(kind, values)
                #expect((kind.row.init(record: record) == nil) == field.isRequired, "\(kind) \(field.name) = \(String(describing: broken))")
                #expect((kind.problem(reading: record)?.field == field.name) == field.isRequired)
            }
        }
    }

    /// A value the field's kind reads.
    static func sample(_ kind: RecordField.ValueKind) -> FieldValue {
        switch kind {
        case .text: .text("words")
        case .integer: .integer(12)
        case .integerIn(let range): .integer(range.upperBound)
        case .time: .time(Date(timeIntervalSince1970: 1_763_805_600))
        case .record: .text(RecordID.random().rawValue)
        case .choice(let words): .text(words.last ?? "")
        }
    }
}

/// A record that already holds a field named `deleted` (reserved by MERGE.md: a conflict on it could not be
/// settled) is repaired by a store migration: the register leaves the state, its dots stay in the context (issue 12,
/// item 5).
@Suite("The reserved field deleted")
struct ReservedDeletedFieldTests {
    let folder = TemporaryFolder()

    @Test func aStoreHoldingAConflictOnDeletedIsRepairedThenSyncsAndSettles() throws {
        let (b, c) = (ReplicaID("b2b2b2b2b2b2b2b2")!, ReplicaID("c3c3c3c3c3c3c3c3")!)
        let id = RecordID.random()
        var base = RecordState(id: id, kind: .customer)
        base.write(
            [Customer.Field.name: .text("Ada"), Customer.Field.createdAt: .time(Date())],
            dot: Dot(replica: b, counter: 1),
            at: 1_763_805_600_000,
            by: "bea"
        )
        var fromB = base
        fromB.write(["deleted": .bool(true)], dot: Dot(replica: b, counter: 2), at: 1_763_805_700_000, by: "bea")
        var fromC = base
        fromC.write(["deleted": .bool(false)], dot: Dot(replica: c, counter: 1), at: 1_763_805_800_000, by: "cem")

        let path = folder.file("old.sqlite")
        let old = try ReplicaStore.create(at: path, agent: "ana", schemaUpTo: "v4: the reply clock pauses while waiting on the customer")
        try old.storeAsAnOlderBuild(try Merge.records(fromB, fromC))
        #expect(try old.conflicts().map(\.key) == ["\(id.rawValue)/deleted"])
        let seqBefore = try old.lastChangeSeq()
        try old.close()

        let store = try ReplicaStore.open(at: path)
        let repaired = try #require(try store.recordState(id))
        #expect(repaired.fields["deleted"] == nil)
        #expect(try repaired.context == Merge.records(fromB, fromC).context)
        #expect(try store.conflicts().isEmpty)
        #expect(try store.customer(id)?.name == "Ada")
        // The repaired state goes out on the next pull, and nothing was queued as a local write.
        #expect(try store.changes(after: seqBefore, limit: 10).states == [repaired])
        #expect(try store.outboxCount() == 0)
        let audit = try store.auditLog().filter { $0.action == "repair" }
        #expect(audit.count == 1)
        #expect(audit.first?.detail.contains("true (by bea") == true)
        #expect(audit.first?.detail.contains("false (by cem") == true)

        // A replica that still holds the field syncs with the repaired one: the join treats it as overwritten.
        let merged = try store.merge([fromB, fromC])
        #expect(merged.changed == 0)
        #expect(try Merge.records(fromB, repaired).fields["deleted"] == nil)
        #expect(try store.conflicts().isEmpty)
        try store.write(agent: "ana") { try $0.update(id, kind: .customer, [Customer.Field.phone: .text("0202")]) }
        #expect(try store.recordState(id)?.conflicts.isEmpty == true)
    }
}

extension ReplicaStore {
    /// Stores `state` in a store of an older schema as its build did, without this build's projection (whose
    /// tables such a store does not have yet).
    func storeAsAnOlderBuild(_ state: RecordState) throws {
        try pool.write { db in
            let changeSeq = try Int64.fetchOne(db, sql: "UPDATE replica SET changeSeq = changeSeq + 1 RETURNING changeSeq")
            try db.execute(
                sql: "INSERT INTO record (id, kind, state, changeSeq, isDeleted, hasConflict) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [state.id.rawValue, state.kind.rawValue, state.canonicalJSON, changeSeq, state.isDeleted, !state.conflicts.isEmpty]
            )
        }
    }
}
