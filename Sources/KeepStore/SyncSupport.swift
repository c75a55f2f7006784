public import Foundation
import GRDB
public import KeepCore

/// Unsynced local changes, read as one page for a push.
public struct OutboxPage: Sendable {
    /// The current full states of the changed records.
    public let states: [RecordState]
    /// For each record, the last outbox entry the page covers: acknowledging removes those and older ones only,
    /// so a write made while the push was in flight stays queued.
    let covered: [RecordID: Int64]

    public var isEmpty: Bool { states.isEmpty }
}

/// A page of records changed on this replica, for a pull.
public struct ChangePage: Sendable {
    public let states: [RecordState]
    /// The change sequence number of the last record in the page (or the cursor given, for an empty page).
    public let lastSeq: Int64
    public let more: Bool
}

extension ReplicaStore {
    /// The oldest unsynced changes: at most `limit` records, and no more than `maxBytes` of their states as
    /// stored (their wire form), except that a page holds at least one record whatever its size.
    public func outboxPage(limit: Int, maxBytes: Int = .max) throws(StoreError) -> OutboxPage {
        try read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT outbox.recordID, MAX(outbox.seq) AS lastSeq, MIN(outbox.seq) AS firstSeq, length(record.state) AS bytes
                    FROM outbox JOIN record ON record.id = outbox.recordID
                    GROUP BY outbox.recordID ORDER BY firstSeq LIMIT ?
                    """,
                arguments: [limit]
            )
            var states: [RecordState] = []
            var covered: [RecordID: Int64] = [:]
            var bytes = 0
            for row in rows {
                bytes += row["bytes"] as Int? ?? 0
                if !states.isEmpty, bytes > maxBytes { break }
                guard let id = RecordID(row["recordID"]), let state = try RecordRepository.state(id, db) else { continue }
                states.append(state)
                covered[id] = row["lastSeq"]
            }
            return OutboxPage(states: states, covered: covered)
        }
    }

    /// Removes what a page covered from the outbox, once the server has made it durable.
    public func acknowledge(_ page: OutboxPage) throws(StoreError) {
        try Self.mapErrors(path: path) {
            try pool.write { db in
                for (id, seq) in page.covered {
                    try db.execute(sql: "DELETE FROM outbox WHERE recordID = ? AND seq <= ?", arguments: [id.rawValue, seq])
                }
            }
        }
    }

    /// Queues every record for the next push and starts pulling over, in one transaction, remembering
    /// `serverEpoch`: the server was restored from a backup and lost what it had since, so it gets all
    /// this replica holds again (the merge makes what it still had a no-op).
    public func requeueEverything(serverEpoch: String) throws(StoreError) {
        try Self.mapErrors(path: path) {
            try pool.write { db in
                try db.execute(
                    sql: "INSERT INTO outbox (recordID, counter) SELECT id, (SELECT counter FROM replica) FROM record ORDER BY changeSeq"
                )
                try StoreSettings.write(.syncCursor, "", db)
                try StoreSettings.write(.serverEpoch, serverEpoch, db)
            }
        }
    }

    /// Records changed after change sequence number `after`, oldest change first.
    public func changes(after: Int64, limit: Int) throws(StoreError) -> ChangePage {
        try read { db in
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT state, changeSeq FROM record WHERE changeSeq > ? ORDER BY changeSeq LIMIT ?",
                arguments: [after, limit + 1]
            )
            let decoder = JSONDecoder()
            let page = rows.prefix(limit)
            let states = try page.map { try decoder.decode(RecordState.self, from: $0["state"] as Data) }
            return ChangePage(states: states, lastSeq: page.last?["changeSeq"] ?? after, more: rows.count > limit)
        }
    }

    /// Records changed after `after`, as the JSON they are stored as (a record state's wire form), oldest change
    /// first: what a pull page sends, without decoding and encoding every state again.
    /// At most `limit` records and `maxBytes` of JSON, except that a page holds at least one record.
    public func changedStateJSON(
        after: Int64,
        limit: Int,
        maxBytes: Int = .max
    ) throws(StoreError) -> (states: [Data], lastSeq: Int64, more: Bool) {
        try read { db in
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT state, changeSeq FROM record WHERE changeSeq > ? ORDER BY changeSeq LIMIT ?",
                arguments: [after, limit + 1]
            )
            var states: [Data] = []
            var lastSeq = after
            var bytes = 0
            for row in rows.prefix(limit) {
                let state: Data = row["state"]
                bytes += state.count
                if !states.isEmpty, bytes > maxBytes { return (states, lastSeq, true) }
                states.append(state)
                lastSeq = row["changeSeq"]
            }
            return (states, lastSeq, rows.count > limit)
        }
    }

    /// The last change sequence number this store gave out.
    public func lastChangeSeq() throws(StoreError) -> Int64 {
        try read { db in try Int64.fetchOne(db, sql: "SELECT changeSeq FROM replica") ?? 0 }
    }

    /// Merges states pushed by another replica after checking each against this store's copy with `violation`,
    /// all in one transaction: one rejected record rejects the whole push, and nothing is changed.
    ///
    /// - Parameters:
    ///   - beforeWriting: runs first, holding the store's write lock, so that what it checks of the store (its
    ///     size) cannot change before the merge writes; what it throws changes nothing.
    ///   - beforeCommit: runs once every record is checked and merged, before the transaction commits;
    ///     what it throws rolls the merge back.
    public func merge(
        _ incoming: [RecordState],
        checking violation: (_ incoming: RecordState, _ current: RecordState?) -> String?,
        beforeWriting: () throws -> Void = {},
        beforeCommit: () throws -> Void = {}
    ) throws(StoreError) -> MergeReport {
        let report = try Self.mapErrors(path: path) {
            try pool.write { db in
                try beforeWriting()
                let report = try Self.merge(incoming, db, checking: violation)
                try beforeCommit()
                return report
            }
        }
        checkpointAfterErasure(report)
        return report
    }

    /// After a forgotten customer's erasure arrived, the old pages must not linger in the write-ahead log. Best
    /// effort: a checkpoint that a long reader holds up happens at the next automatic checkpoint or close instead.
    private func checkpointAfterErasure(_ report: MergeReport) {
        if report.forgotten > 0 { try? checkpoint() }
    }

    /// Merges a pulled page and records where the next pull starts, in one transaction, so that an interrupted
    /// sync resumes after the last page it committed.
    public func merge(_ incoming: [RecordState], thenSetCursor cursor: String) throws(StoreError) -> MergeReport {
        let report = try Self.mapErrors(path: path) {
            try pool.write { db in
                let report = try Self.mergePulled(incoming, db)
                try StoreSettings.write(.syncCursor, cursor, db)
                return report
            }
        }
        checkpointAfterErasure(report)
        return report
    }
}
