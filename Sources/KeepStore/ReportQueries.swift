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
            typealias P = Promise.Columns
            let promises = try Promise.filter(P.madeAt < to && (P.dueAt >= from || P.madeAt >= from || P.keptAt >= from || P.cancelledAt >= from))
                .fetchAll(db)
            let notes = try Note.filter(Note.Kind.allCases.filter(\.owesReply).contains(Note.Columns.kind))
                .filter(Note.Columns.at >= received && Note.Columns.at < to).order(Note.Columns.at).fetchAll(db)
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
            let surveys = try Survey.filter(Survey.Columns.at >= from && Survey.Columns.at < to).order(Survey.Columns.at).fetchAll(db)
            return ReportInputs(promises: promises, notes: notes, customerNames: names, contacts: contacts, surveys: surveys)
        }
    }
}
