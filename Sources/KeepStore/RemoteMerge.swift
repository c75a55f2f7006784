import GRDB
public import KeepCore

/// What merging states from another replica changed here.
public struct MergeReport: Sendable, Hashable {
    /// Records whose state changed.
    public var changed = 0
    /// Records that arrived already known as they were.
    public var unchanged = 0
    /// Records that hold a conflict after the merge.
    public var conflicted = 0
    /// Customers this merge brought the erasure of (`keep customer forget` on another replica).
    public var forgotten: Int { forgottenCustomers.count }
    var forgottenCustomers: [RecordID] = []
}

extension ReplicaStore {
    /// Merges record states received from another replica, in one transaction.
    ///
    /// Merged changes are not put in the outbox, nor in the undo log: they are not this replica's writes. States that
    /// change nothing here leave the record untouched (idempotent: receiving twice is harmless).
    public func merge(_ incoming: [RecordState]) throws(StoreError) -> MergeReport {
        try Self.mapErrors(path: path) {
            try pool.write { db in try Self.mergePulled(incoming, db) }
        }
    }

    /// Merges states a laptop received, and erases what its undo log holds about customers they forget.
    static func mergePulled(_ incoming: [RecordState], _ db: Database) throws -> MergeReport {
        let report = try merge(incoming, db)
        try UndoLog.erase(about: report.forgottenCustomers, db)
        return report
    }

    /// Merges `incoming` inside the caller's transaction.
    ///
    /// - Parameter violation: asked about each incoming state beside the stored one before it is
    ///   merged; a problem it names rejects the whole batch (the caller's transaction rolls back what came before).
    static func merge(
        _ incoming: [RecordState],
        _ db: Database,
        checking violation: (_ incoming: RecordState, _ current: RecordState?) -> String? = { _, _ in nil }
    ) throws -> MergeReport {
        var report = MergeReport()
        for remote in incoming {
            let merged: RecordState
            let stored = try RecordRepository.state(remote.id, db)
            if let problem = violation(remote, stored) { throw StoreError(.rejected(problem)) }
            // MERGE.md §2.7: never merge a peer's state that is not well formed, whether or not the record is known here.
            guard remote.isWellFormed else { throw StoreError(.rejected("record \(remote.id) is not well formed")) }
            if let local = stored {
                let forgottenAt = remote.fields[Customer.Field.forgottenAt]
                if forgottenAt != nil, local.fields[Customer.Field.forgottenAt] != forgottenAt { report.forgottenCustomers.append(remote.id) }
                do throws(Merge.Mismatch) {
                    merged = try Merge.records(local, remote)
                } catch {
                    throw StoreError(.rejected("cannot merge record \(remote.id): \(error.description)"))
                }
                guard merged != local else {
                    report.unchanged += 1
                    continue
                }
            } else {
                merged = remote
            }
            try RecordRepository.save(merged, isNew: stored == nil, db)
            report.changed += 1
            if !merged.conflicts.isEmpty { report.conflicted += 1 }
        }
        // A customer forgotten on another replica (whose records arrive before the customer's own, see `forget`):
        // their words must leave this file's search index too.
        if report.forgotten > 0 { try dropErasedSearchTerms(db) }
        return report
    }

    /// The full states of every record changed locally and not yet synced.
    public func outboxStates() throws(StoreError) -> [RecordState] {
        try read { db in
            let ids = try String.fetchAll(db, sql: "SELECT DISTINCT recordID FROM outbox ORDER BY seq")
            return try ids.compactMap(RecordID.init).compactMap { try RecordRepository.state($0, db) }
        }
    }
}
