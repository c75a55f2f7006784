public import Foundation
import GRDB
public import KeepCore

/// What `keep report` reads from the shop tables.
public struct ReportInputs: Sendable {
    public var promises: [Promise]
    /// Inquiries and complaints received in the period.
    public var notes: [Note]
    /// The names of the customers those inquiries and complaints are about.
    public var customerNames: [RecordID: String]
    /// Every customer with their last contact.
    public var contacts: [ShopReport.Contact]
    /// Survey answers from `from` on.
    public var surveys: [Survey]
}

extension ReplicaStore {
    /// The promises that could count for `[from, to)` (made, due, kept or cancelled from `from` on, made before
    /// `to`), the inquiries and complaints received in `[received, to)`, and every customer's last contact: the
    /// latest note of any kind or promise about them.
    public func reportInputs(from: Date, received: Date, to: Date) throws(StoreError) -> ReportInputs {
        try read { db in
            let (from, received, to) = (from.epochMilliseconds, received.epochMilliseconds, to.epochMilliseconds)
            let promises = try Promise.fetchAll(
                db,
                sql: """
                    SELECT * FROM promise WHERE madeAt < ?
                        AND (dueAt >= ? OR madeAt >= ? OR keptAt >= ? OR cancelledAt >= ?)
                    """,
                arguments: [to, from, from, from, from]
            )
            let notes = try Note.fetchAll(
                db,
                sql: "SELECT * FROM note WHERE kind IN ('inquiry', 'complaint') AND at >= ? AND at < ? ORDER BY at",
                arguments: [received, to]
            )
            let names = try Self.customers(ids: notes.map(\.customerID), db).mapValues(\.name)
            let contacts = try Row.fetchAll(
                db,
                sql: """
                    SELECT name, createdAt,
                        MAX(IFNULL((SELECT MAX(at) FROM note WHERE note.customerID = customer.id), 0),
                            IFNULL((SELECT MAX(madeAt) FROM promise WHERE promise.customerID = customer.id), 0)) AS lastContact
                    FROM customer
                    """
            ).map { row in
                let last: Int64 = row["lastContact"]
                return ShopReport.Contact(
                    name: row["name"],
                    addedAt: Date(epochMilliseconds: row["createdAt"]),
                    lastContact: last > 0 ? Date(epochMilliseconds: last) : nil
                )
            }
            let surveys = try Survey.fetchAll(db, sql: "SELECT * FROM survey WHERE at >= ? AND at < ? ORDER BY at", arguments: [from, to])
            return ReportInputs(promises: promises, notes: notes, customerNames: names, contacts: contacts, surveys: surveys)
        }
    }
}
