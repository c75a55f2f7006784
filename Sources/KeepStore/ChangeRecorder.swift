import Foundation
import GRDB
import KeepCore

/// What one write transaction does to each record it touches, noted by ``LocalWriter`` as it writes, so that the
/// change lands in the undo log in the same transaction: nothing is written that `keep undo` cannot take back.
///
/// A class, because the writer's methods are not mutating: every copy of the writer in one transaction shares it.
final class ChangeRecorder {
    /// A record as the change found it, and its state after the change's last write to it.
    private struct Touch {
        let kind: RecordKind
        let created: Bool
        let deletedBefore: Bool
        /// Each written field's value before its first write in this change; nil where it was absent.
        var before: [String: FieldValue?] = [:]
        var state: RecordState
    }

    private var touches: [RecordID: Touch] = [:]
    private var order: [RecordID] = []
    /// The customer this change forgets: it keeps none of the values it wrote over.
    private var forgetting: RecordID?

    /// Notes a write or delete of `after`'s record, which held `before` (nil: it did not exist) and now holds `after`.
    func note(before: RecordState?, after: RecordState, wrote fields: some Sequence<String>) {
        var touch =
            touches[after.id]
            // The shop's settings are never created to be deleted: taking back their first write clears its fields.
            ?? Touch(kind: after.kind, created: before == nil && after.kind != .shop, deletedBefore: before?.isDeleted ?? false, state: after)
        if touches[after.id] == nil { order.append(after.id) }
        for field in fields where touch.before[field] == nil {
            touch.before[field] = .some(before?.value(field))
        }
        touch.state = after
        touches[after.id] = touch
    }

    /// Marks the change as forgetting `customer` (``LocalWriter/forget(_:)``), which no one can take back.
    func forgets(_ customer: RecordID) {
        forgetting = customer
    }

    /// Appends the change to the undo log, if it touched anything, named `summary` or after what it touched.
    func commit(summary: String?, agent: String, now: Date, _ db: Database) throws {
        guard !order.isEmpty else { return }
        let records = order.compactMap { id in touches[id].map { changedRecord(id, $0) } }
        if let forgetting {
            let erased = records.map { ChangedRecord(erasing: $0) }
            try UndoLog.append(erased, summary: ChangeSummary.forget(forgetting), irreversible: .forget, agent: agent, now: now, db)
        } else {
            let summary = try summary ?? ChangeSummary(records, states: touches.mapValues(\.state), db).text
            try UndoLog.append(records, summary: summary, irreversible: nil, agent: agent, now: now, db)
        }
    }

    private func changedRecord(_ id: RecordID, _ touch: Touch) -> ChangedRecord {
        let state = touch.state
        return ChangedRecord(
            id: id,
            kind: touch.kind,
            customer: touch.kind == .customer ? id : state.value(ChangedRecord.customerField)?.text.flatMap(RecordID.init),
            created: touch.created,
            deletedBefore: touch.deletedBefore,
            deletedAfter: state.isDeleted,
            fields: touch.before.reduce(into: [:]) { fields, written in
                // Every written field is held after the write: a write never removes a register.
                if let after = state.value(written.key) { fields[written.key] = WrittenField(before: written.value, after: after) }
            }
        )
    }
}

extension ChangedRecord {
    /// The field of every kind but customers that names the customer the record is about.
    static let customerField = Note.Field.customer

    /// The record without the values: what a forget keeps of what it wrote over.
    init(erasing record: ChangedRecord) {
        self.init(
            id: record.id,
            kind: record.kind,
            customer: record.customer,
            created: record.created,
            deletedBefore: record.deletedBefore,
            deletedAfter: record.deletedAfter,
            fields: [:]
        )
    }
}
