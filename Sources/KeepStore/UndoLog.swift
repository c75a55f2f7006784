public import Foundation
import GRDB
public import KeepCore

/// A change made on this laptop, as `keep undo --list` shows it: one write transaction of one command.
public struct UndoableChange: Sendable, Hashable {
    /// Why a change cannot be taken back.
    public enum Irreversible: String, Sendable, Hashable {
        /// It forgot a customer: what it erased is gone for good.
        case forget
        /// It was about a customer forgotten since, and its values were erased with them.
        case forgotten
    }

    public let seq: Int64
    public let at: Date
    public let agent: String
    /// What it did, in a line: "added a note about Μαρία Παπαδοπούλου".
    public let summary: String
    public let records: Int
    public let fields: Int
    /// Why it cannot be taken back; nil when it can.
    public let irreversible: Irreversible?
}

/// One record as a change found it and left it.
public struct ChangedRecord: Sendable, Hashable {
    public let id: RecordID
    public let kind: RecordKind
    /// The customer the record is about (a customer's own id), so that forgetting them erases what the log holds.
    let customer: RecordID?
    /// The change made the record.
    public let created: Bool
    public let deletedBefore: Bool
    public let deletedAfter: Bool
    /// Each field the change wrote.
    public let fields: [String: WrittenField]

    /// What taking the change back writes: the earlier values, null where the field had none.
    public var earlierValues: [String: FieldValue] { created ? [:] : fields.mapValues { $0.before ?? .null } }

    /// Whether the record is deleted once the change is taken back: one it made goes, one it deleted comes back.
    public var deletedEarlier: Bool { created || deletedBefore }
}

/// A field a change wrote: the value it held before, and the one the change wrote.
public struct WrittenField: Sendable, Hashable, Codable {
    /// The value shown before the change (the pick, MERGE.md §5.1); nil when the field was absent.
    public let before: FieldValue?
    public let after: FieldValue

    private enum CodingKeys: String, CodingKey {
        case before, after
    }

    init(before: FieldValue?, after: FieldValue) {
        self.before = before
        self.after = after
    }

    /// Reads "before" as absent only when the member is missing: `"before": null` was a null value.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        before = container.contains(.before) ? try container.decode(FieldValue.self, forKey: .before) : nil
        after = try container.decode(FieldValue.self, forKey: .after)
    }
}

/// The undo log's one way in: this replica's recent changes, each with what it found and what it wrote.
///
/// Local to the replica, like the audit log, and never synced: taking a change back is an ordinary new write
/// (MERGE.md §3), so the wire and the merge rules do not change. Only ``LocalWriter`` appends to it; merges of other
/// replicas' states never do, so a server's stores keep it empty.
enum UndoLog {
    /// How many changes are kept.
    static let changeLimit = 100
    /// How many changed records the kept changes may hold together, so that a few big imports cannot fill the file;
    /// the newest change is kept whatever its size.
    static let recordLimit = 20_000

    /// Appends a change, then forgets the oldest beyond the limits. A change that cannot be taken back ends the
    /// history: nothing older can be reached past it, so nothing older is kept.
    static func append(
        _ records: [ChangedRecord],
        summary: String,
        irreversible: UndoableChange.Irreversible?,
        agent: String,
        now: Date,
        _ db: Database
    ) throws {
        guard !records.isEmpty else { return }
        let seq = try Int64.fetchOne(
            db.cachedStatement(
                sql: "INSERT INTO undoChange (at, agent, summary, recordCount, fieldCount, irreversible) VALUES (?, ?, ?, ?, ?, ?) RETURNING seq"
            ),
            arguments: [
                now.epochMilliseconds, agent, summary, records.count, records.reduce(0) { $0 + $1.fields.count }, irreversible?.rawValue,
            ]
        )
        guard let seq else { throw StoreError(.database("the undo log gave no sequence number")) }
        let insert = try db.cachedStatement(
            sql: """
                INSERT INTO undoRecord (change, position, recordID, kind, customerID, created, deletedBefore, deletedAfter, fields)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        )
        for (position, record) in records.enumerated() {
            let fields = String(decoding: try encoder.encode(record.fields), as: UTF8.self)
            try insert.execute(arguments: [
                seq, position, record.id.rawValue, record.kind.rawValue, record.customer?.rawValue, record.created, record.deletedBefore,
                record.deletedAfter, fields,
            ])
        }
        if irreversible != nil { try db.execute(sql: "DELETE FROM undoChange WHERE seq < ?", arguments: [seq]) }
        try prune(db)
    }

    /// Keeps the newest ``changeLimit`` changes, and of those only as many as hold ``recordLimit`` records.
    private static func prune(_ db: Database) throws {
        try db.cachedStatement(
            sql: """
                DELETE FROM undoChange WHERE seq IN (
                    SELECT seq FROM (
                        SELECT seq, ROW_NUMBER() OVER newest AS age, SUM(recordCount) OVER newest AS held FROM undoChange
                        WINDOW newest AS (ORDER BY seq DESC ROWS UNBOUNDED PRECEDING)
                    )
                    WHERE age > ? OR (age > 1 AND held > ?)
                )
                """
        ).execute(arguments: [changeLimit, recordLimit])
    }

    /// The newest changes, newest first.
    static func changes(limit: Int, _ db: Database) throws -> [UndoableChange] {
        try Row.fetchAll(db, sql: "SELECT * FROM undoChange ORDER BY seq DESC LIMIT ?", arguments: [limit]).map { row in
            UndoableChange(
                seq: row["seq"],
                at: Date(epochMilliseconds: row["at"]),
                agent: row["agent"],
                summary: row["summary"],
                records: row["recordCount"],
                fields: row["fieldCount"],
                irreversible: (row["irreversible"] as String?).flatMap(UndoableChange.Irreversible.init)
            )
        }
    }

    /// The records a change touched, in the order it first touched them.
    static func records(of change: Int64, _ db: Database) throws -> [ChangedRecord] {
        try Row.fetchAll(db, sql: "SELECT * FROM undoRecord WHERE change = ? ORDER BY position", arguments: [change]).map { row in
            guard let id = RecordID(row["recordID"]), let kind = RecordKind(rawValue: row["kind"]) else {
                throw StoreError(.database("the undo log holds a record it cannot read"))
            }
            return ChangedRecord(
                id: id,
                kind: kind,
                customer: (row["customerID"] as String?).flatMap(RecordID.init),
                created: row["created"],
                deletedBefore: row["deletedBefore"],
                deletedAfter: row["deletedAfter"],
                fields: try decoder.decode([String: WrittenField].self, from: Data((row["fields"] as String).utf8))
            )
        }
    }

    /// Removes a change that was taken back.
    static func remove(_ change: Int64, _ db: Database) throws {
        try db.execute(sql: "DELETE FROM undoChange WHERE seq = ?", arguments: [change])
    }

    /// Erases what the log holds about customers forgotten on another replica: the newest change about them stays,
    /// emptied of its values and its summary (which may name them), to say why `keep undo` stops there; older changes
    /// go, as ``append(_:summary:irreversible:agent:now:_:)`` drops those behind any change that cannot be taken back.
    static func erase(about customers: [RecordID], _ db: Database) throws {
        guard !customers.isEmpty else { return }
        let newest = try Int64.fetchOne(
            db,
            sql: """
                SELECT MAX(change) FROM undoRecord JOIN undoChange ON seq = change
                WHERE irreversible IS NULL AND customerID IN (SELECT value FROM json_each(?))
                """,
            arguments: [String(decoding: try encoder.encode(customers), as: UTF8.self)]
        )
        guard let newest else { return }
        try db.execute(
            sql: "UPDATE undoChange SET summary = ?, fieldCount = 0, irreversible = 'forgotten' WHERE seq = ?",
            arguments: [forgottenSummary, newest]
        )
        try db.execute(sql: "UPDATE undoRecord SET fields = '{}' WHERE change = ?", arguments: [newest])
        try db.execute(sql: "DELETE FROM undoChange WHERE seq < ?", arguments: [newest])
    }

    /// What a change about a customer forgotten since is called.
    static let forgottenSummary = "a change about a customer forgotten since"

    private static let encoder = JSONEncoder()
    private static let decoder = JSONDecoder()
}
