import GRDB
import KeepCore

/// Keeps the shop tables and the search index in step with a record's merged state.
///
/// The shop tables hold only live records, with the values people see; they have no foreign keys
/// because replicas receive records in any order (a note may arrive before its customer).
enum Projection {
    /// Projects `state`; `isNew` says the record has no projection yet (nothing to remove first).
    static func apply(_ state: RecordState, rowid: Int64, isNew: Bool = false, _ db: Database) throws {
        if !isNew {
            try db.cachedStatement(sql: "DELETE FROM \(table(for: state.kind)) WHERE id = ?").execute(arguments: [state.id.rawValue])
            try db.cachedStatement(sql: "DELETE FROM searchIndex WHERE rowid = ?").execute(arguments: [rowid])
        }
        guard !state.isDeleted else { return }
        let searchable: String?
        switch state.kind {
        case .customer: searchable = try Customer(record: state).map { try insert($0, db) }
        case .note: searchable = try Note(record: state).map { try insert($0, db) }
        case .promise: searchable = try Promise(record: state).map { try insert($0, db) }
        case .followUp: searchable = try FollowUp(record: state).map { try insert($0, db) }
        case .purchase: searchable = try Purchase(record: state).map { try insert($0, db) }
        case .survey: searchable = try Survey(record: state).map { try insert($0, db) }
        }
        if let searchable, !searchable.isEmpty {
            try db.cachedStatement(sql: "INSERT INTO searchIndex (rowid, body) VALUES (?, ?)").execute(
                arguments: [rowid, SearchText.fold(searchable)]
            )
        }
    }

    static func table(for kind: RecordKind) -> String {
        switch kind {
        case .customer: "customer"
        case .note: "note"
        case .promise: "promise"
        case .followUp: "followUp"
        case .purchase: "purchase"
        case .survey: "survey"
        }
    }

    private static func insert(_ customer: Customer, _ db: Database) throws -> String {
        try db.cachedStatement(sql: "INSERT INTO customer (id, name, nameFolded, phone, email, createdAt, createdBy) VALUES (?, ?, ?, ?, ?, ?, ?)")
            .execute(
                arguments: [
                    customer.id.rawValue, customer.name, SearchText.fold(customer.name), customer.phone, customer.email,
                    customer.createdAt.epochMilliseconds, customer.createdBy,
                ]
            )
        return [customer.name, customer.phone, customer.email].compactMap { $0 }.joined(separator: " ")
    }

    private static func insert(_ note: Note, _ db: Database) throws -> String {
        try db.cachedStatement(
            sql: """
                INSERT INTO note (id, customerID, kind, channel, text, author, at, replyDueAt, answeredAt, answeredBy, answerID, inReplyToID,
                    waitingSince)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(
            arguments: [
                note.id.rawValue, note.customerID.rawValue, note.kind.rawValue, note.channel?.rawValue, note.text, note.author,
                note.at.epochMilliseconds, note.replyDueAt?.epochMilliseconds, note.answeredAt?.epochMilliseconds, note.answeredBy,
                note.answerID?.rawValue, note.inReplyToID?.rawValue, note.waitingSince?.epochMilliseconds,
            ]
        )
        return note.text
    }

    private static func insert(_ promise: Promise, _ db: Database) throws -> String {
        try db.cachedStatement(
            sql: """
                INSERT INTO promise (id, customerID, text, promisedBy, madeAt, dueAt, status, keptAt, keptBy, cancelledAt, cancelReason)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(
            arguments: [
                promise.id.rawValue, promise.customerID.rawValue, promise.text, promise.promisedBy, promise.madeAt.epochMilliseconds,
                promise.dueAt.epochMilliseconds, promise.status.rawValue, promise.keptAt?.epochMilliseconds, promise.keptBy,
                promise.cancelledAt?.epochMilliseconds, promise.cancelReason,
            ]
        )
        return [promise.text, promise.cancelReason].compactMap { $0 }.joined(separator: " ")
    }

    private static func insert(_ followUp: FollowUp, _ db: Database) throws -> String {
        try db.cachedStatement(
            sql: """
                INSERT INTO followUp (id, customerID, text, dueAt, status, createdAt, createdBy, doneAt, doneBy, purchaseID)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(
            arguments: [
                followUp.id.rawValue, followUp.customerID.rawValue, followUp.text, followUp.dueAt.epochMilliseconds,
                followUp.status.rawValue, followUp.createdAt.epochMilliseconds, followUp.createdBy, followUp.doneAt?.epochMilliseconds,
                followUp.doneBy, followUp.purchaseID?.rawValue,
            ]
        )
        return followUp.text
    }

    private static func insert(_ purchase: Purchase, _ db: Database) throws -> String {
        try db.cachedStatement(sql: "INSERT INTO purchase (id, customerID, item, amount, at, by) VALUES (?, ?, ?, ?, ?, ?)").execute(
            arguments: [
                purchase.id.rawValue, purchase.customerID.rawValue, purchase.item, purchase.amount?.cents, purchase.at.epochMilliseconds,
                purchase.by,
            ]
        )
        return purchase.item
    }

    private static func insert(_ survey: Survey, _ db: Database) throws -> String {
        try db.cachedStatement(sql: "INSERT INTO survey (id, customerID, score, text, at, by) VALUES (?, ?, ?, ?, ?, ?)").execute(
            arguments: [survey.id.rawValue, survey.customerID.rawValue, survey.score, survey.text, survey.at.epochMilliseconds, survey.by]
        )
        return survey.text ?? ""
    }
}
