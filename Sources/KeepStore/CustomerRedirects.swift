import GRDB
import KeepCore

/// Shows what is about a merged customer as about the customer it was merged into (Sync/SCHEMA.md, merged
/// customers), on every replica and whenever it arrives: a note written offline to the old customer, merged after.
///
/// The redirects are read off the customers' states (a merged customer is deleted, but keeps its `mergedInto`) into
/// `customerMerge`, and the shop tables hold each record under the customer its chain of merges ends at. Nothing is
/// written to the records themselves: every replica that did would make a conflict of the same value.
enum CustomerRedirects {
    private static let table = "customerMerge"

    /// The customer `id`'s records are shown under: the end of its chain of merges, or `id` itself.
    static func resolve(_ id: RecordID, _ db: Database) throws -> RecordID {
        // Migrations before v8 re-project records without the table; GRDB answers this from its schema cache.
        guard try db.tableExists(table) else { return id }
        var current = id
        var seen: Set<RecordID> = [id]
        let next = try db.cachedStatement(sql: "SELECT intoID FROM customerMerge WHERE id = ?")
        while let into = try String.fetchOne(next, arguments: [current.rawValue]).flatMap(RecordID.init), seen.insert(into).inserted {
            current = into
        }
        return current
    }

    /// The customers whose chain of merges ends at `customer`: the same person, written down before.
    static func merged(into customer: RecordID, _ db: Database) throws -> [RecordID] {
        var found: [RecordID] = []
        var seen: Set<RecordID> = [customer]
        var frontier = [customer]
        while let next = frontier.popLast() {
            let sources = try String.fetchAll(db, sql: "SELECT id FROM customerMerge WHERE intoID = ? ORDER BY id", arguments: [next.rawValue])
            for source in sources.compactMap(RecordID.init) where seen.insert(source).inserted {
                found.append(source)
                frontier.append(source)
            }
        }
        return found
    }

    /// Records the customer's redirect as its state says, and re-projects the records the change moves.
    static func follow(_ customer: RecordState, _ db: Database) throws {
        // A customer never merged has no redirect: the field is written when merged, and null when taken back.
        guard customer.fields[Customer.Field.mergedInto] != nil else { return }
        let wanted = customer.value(Customer.Field.mergedInto)?.text.flatMap(RecordID.init).flatMap { $0 == customer.id ? nil : $0 }
        let current = try String.fetchOne(
            db.cachedStatement(sql: "SELECT intoID FROM customerMerge WHERE id = ?"),
            arguments: [customer.id.rawValue]
        ).flatMap(RecordID.init)
        guard wanted != current else { return }
        // Every record the change moves is shown under the customer itself or under the end of its old chain.
        let shownUnder = [customer.id, try resolve(customer.id, db)]
        if let wanted {
            try db.execute(
                sql: "INSERT INTO customerMerge (id, intoID) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET intoID = excluded.intoID",
                arguments: [customer.id.rawValue, wanted.rawValue]
            )
        } else {
            try db.execute(sql: "DELETE FROM customerMerge WHERE id = ?", arguments: [customer.id.rawValue])
        }
        try reproject(shownUnder: Set(shownUnder), db)
    }

    /// The kinds whose records are about a customer, in their `customer` field.
    static let customerKinds: [RecordKind] = [.note, .promise, .followUp, .purchase, .survey]

    private static func reproject(shownUnder customers: Set<RecordID>, _ db: Database) throws {
        let placeholders = customers.map { _ in "?" }.joined(separator: ", ")
        let ids = customerKinds.map { "SELECT id FROM \(Projection.table(for: $0)) WHERE customerID IN (\(placeholders))" }
        let rows = try Row.fetchAll(
            db,
            sql: "SELECT rowid, state FROM record WHERE id IN (\(ids.joined(separator: " UNION ALL ")))",
            arguments: StatementArguments(Array(repeating: customers.map(\.rawValue), count: customerKinds.count).flatMap { $0 })
        )
        for row in rows {
            try Projection.apply(try RecordRepository.decode(row["state"]), rowid: row["rowid"], db)
        }
    }
}

/// A shop table whose rows are about a customer: the projection shows them under the end of the customer's merges.
protocol CustomerRecordRow: ShopRow {
    var customerID: RecordID { get set }
}

extension Note: CustomerRecordRow {}
extension Promise: CustomerRecordRow {}
extension FollowUp: CustomerRecordRow {}
extension Purchase: CustomerRecordRow {}
extension Survey: CustomerRecordRow {}
