public import Foundation
import GRDB
public import KeepCore

/// What `keep customer forget` erased.
public struct ForgetReport: Sendable, Hashable {
    /// Records rewritten without their personal data, the customer's own included.
    public var records = 0
    /// Open promises and follow-ups closed (cancelled): nothing can be kept for a customer nobody can name.
    public var closed = 0
}

extension LocalWriter {
    /// Erases what the book holds about a customer that could tell who they are: their name, phone and e-mail,
    /// and the words of every note, promise, follow-up, purchase and survey about them. What remains (kinds,
    /// times, statuses, amounts, scores) keeps reports true. Each record is rewritten as one local write, which
    /// supersedes every value this replica has seen, conflicting ones included, and syncs like any other write.
    ///
    /// The undo log keeps none of the erased values: `keep undo` cannot take a forget back, nor anything older.
    public func forget(_ customer: RecordID) throws -> ForgetReport {
        changes?.forgets(customer)
        var report = ForgetReport()
        let erasures: [(RecordKind, [String: FieldValue])] = [
            (.note, [Note.Field.text: .text("")]),
            (.promise, [Promise.Field.text: .text(""), Promise.Field.cancelReason: .null]),
            (.followUp, [FollowUp.Field.text: .text("")]),
            (.purchase, [Purchase.Field.item: .text("")]),
            (.survey, [Survey.Field.text: .null]),
        ]
        // Open promises and follow-ups are cancelled with their words erased: otherwise they would stay late for good.
        let open: [RecordKind: Set<String>] = [
            .promise: Set(
                try String.fetchAll(db, sql: "SELECT id FROM promise WHERE customerID = ? AND status = 'open'", arguments: [customer.rawValue])
            ),
            .followUp: Set(
                try String.fetchAll(db, sql: "SELECT id FROM followUp WHERE customerID = ? AND status = 'open'", arguments: [customer.rawValue])
            ),
        ]
        let closing: [RecordKind: [String: FieldValue]] = [
            .promise: [Promise.Field.status: .text(Promise.Status.cancelled.rawValue), Promise.Field.cancelledAt: .time(now)],
            .followUp: FollowUp.cancelling(),
        ]
        // The records of this person written down under a customer since merged into this one are theirs too.
        let merged = try CustomerRedirects.merged(into: customer, db)
        for (kind, values) in erasures {
            // From the records themselves, not the shop tables, which hold live records only.
            let ids = try ([customer] + merged).flatMap { about in
                try String.fetchAll(
                    db,
                    sql: "SELECT id FROM record WHERE kind = ? AND json_extract(CAST(state AS TEXT), '$.fields.customer[0].value') = ?",
                    arguments: [kind.rawValue, about.rawValue]
                )
            }
            for id in ids.compactMap(RecordID.init) {
                let closes = open[kind]?.contains(id.rawValue) == true
                try overwrite(id, kind: kind, closes ? values.merging(closing[kind] ?? [:]) { erased, _ in erased } : values)
                report.records += 1
                if closes { report.closed += 1 }
            }
        }
        // The customer last: it goes out (and arrives) after the records about them, and when it arrives a
        // replica rewrites its search index.
        for erased in merged + [customer] {
            try overwrite(
                erased,
                kind: .customer,
                [
                    Customer.Field.name: .text("Forgotten customer " + erased.short), Customer.Field.phone: .null,
                    Customer.Field.email: .null, Customer.Field.forgottenAt: .time(now),
                ]
            )
            report.records += 1
        }
        try ReplicaStore.dropErasedSearchTerms(db)
        return report
    }
}

extension ReplicaStore {
    /// Rewrites the full-text index, which otherwise keeps the words of rewritten records in its segments until
    /// they happen to be merged. Freed pages are zeroed (`secure_delete`), so the words leave the file.
    static func dropErasedSearchTerms(_ db: Database) throws {
        try db.execute(sql: "INSERT INTO searchIndex(searchIndex) VALUES('optimize')")
    }

    /// Folds the write-ahead log back into the store file and empties it, so that no old page stays beside it.
    public func checkpoint() throws(StoreError) {
        try Self.mapErrors(path: path) {
            try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
        }
    }
}
