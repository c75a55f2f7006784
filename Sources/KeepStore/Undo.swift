public import Foundation
import GRDB
public import KeepCore

/// What taking back the newest change would write, and what was changed since that stands in its way.
public struct UndoPlan: Sendable {
    public let change: UndoableChange
    /// The records it touched, in the order it first touched them.
    public let records: [ChangedRecord]
    /// What was changed since the change; taking it back is refused unless forced.
    public let problems: [UndoProblem]

    /// The refusal that names the ``problems``; nil when there are none.
    public var refusal: StoreError? {
        problems.isEmpty ? nil : StoreError(.changedSince(change: change.summary, problems: problems.map(\.description)))
    }

    /// The newest change not yet taken back, checked against the records as they are now.
    static func newest(_ db: Database) throws -> UndoPlan {
        guard let change = try UndoLog.changes(limit: 1, db).first else { throw StoreError(.nothingToUndo) }
        if let irreversible = change.irreversible { throw StoreError(.irreversible(change: change.summary, why: irreversible)) }
        let records = try UndoLog.records(of: change.seq, db)
        let problems = try records.flatMap { try UndoProblem.since($0, current: RecordRepository.state($0.id, db)) }
        return UndoPlan(change: change, records: records, problems: problems)
    }
}

/// Something a change wrote that was changed since: by another laptop's edit that arrived by sync, or a conflict.
public struct UndoProblem: Sendable, Hashable, CustomStringConvertible {
    enum Reason: Sendable, Hashable {
        case changed(field: String)
        case inConflict(field: String)
        case deletedSince
        case broughtBackSince
        case deletedElsewhere
        case missing
    }

    public let record: RecordID
    public let kind: RecordKind
    let reason: Reason

    public var description: String {
        let label = "the \(kind.displayName) \(record.short)"
        return switch reason {
        case .changed(let field): "\(label)'s \(field) was changed since"
        case .inConflict(let field): "\(label)'s \(field) is in conflict (see keep conflicts)"
        case .deletedSince: "\(label) was deleted since"
        case .broughtBackSince: "\(label) was brought back since"
        case .deletedElsewhere: "\(label) was deleted on another laptop and edited on this one (see keep conflicts)"
        case .missing: "\(label) is no longer in this book"
        }
    }

    /// What keeps `record`'s part of a change from being taken back, now that it is `current`.
    static func since(_ record: ChangedRecord, current: RecordState?) -> [UndoProblem] {
        guard let current else { return [UndoProblem(record: record.id, kind: record.kind, reason: .missing)] }
        var reasons: [Reason] = []
        // A record deleted or brought back since is a problem unless it is already as taking back would leave it.
        if current.isDeleted != record.deletedAfter, current.isDeleted != record.deletedEarlier {
            reasons.append(current.isDeleted ? .deletedSince : .broughtBackSince)
        } else if current.hasDeleteConflict {
            reasons.append(.deletedElsewhere)
        }
        for (field, written) in record.fields.sorted(by: { $0.key < $1.key }) {
            if current.fields[field]?.isConflicted == true {
                reasons.append(.inConflict(field: field))
            } else if current.value(field) != written.after {
                reasons.append(.changed(field: field))
            }
        }
        return reasons.map { UndoProblem(record: record.id, kind: record.kind, reason: $0) }
    }
}

extension ReplicaStore {
    /// The changes made on this laptop, newest first: the ones `keep undo` takes back in turn, and last, when there
    /// is one, the change it stops at (a forget).
    public func undoHistory() throws(StoreError) -> [UndoableChange] {
        try read { db in try UndoLog.changes(limit: UndoLog.changeLimit, db) }
    }

    /// What ``undo(agent:now:force:)`` would take back now, read without writing.
    public func undoPlan() throws(StoreError) -> UndoPlan {
        try read { db in try UndoPlan.newest(db) }
    }

    /// Takes back the newest change made on this laptop and not taken back yet, as one new local write: each field it
    /// wrote gets its earlier value back (null where it had none), a record it made is deleted, one it deleted comes
    /// back. New dots carry the earlier values, so other replicas follow at their next sync; nothing is rewound.
    /// Taking back is not itself a change to take back.
    ///
    /// - Parameter force: write the earlier values even over what was changed since (``UndoPlan/problems``).
    /// - Returns: what was taken back.
    @discardableResult
    public func undo(agent: String, now: Date = Date(), force: Bool = false) throws(StoreError) -> UndoPlan {
        try Self.mapErrors(path: path) {
            try pool.write { db in
                let plan = try UndoPlan.newest(db)
                if let refusal = plan.refusal, !force { throw refusal }
                let writer = LocalWriter(db: db, replica: replicaID, agent: agent, now: now, recordingChanges: false)
                for record in plan.records.reversed() {
                    try writer.restore(record.id, kind: record.kind, record.earlierValues, deleted: record.deletedEarlier)
                }
                try UndoLog.remove(plan.change.seq, db)
                return plan
            }
        }
    }
}
