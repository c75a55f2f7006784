import GRDB
import KeepCore

/// Keeps the shop tables, the search index and the list of unreadable records in step with a record's merged state.
///
/// The shop tables hold only live records, with the values people see; they have no foreign keys
/// because replicas receive records in any order (a note may arrive before its customer). A live record this
/// build cannot read (a required field missing or of another value kind, Sync/SCHEMA.md) has no row there: it
/// is listed in `unreadableRecord` instead, and its state is kept and replicated as it is.
enum Projection {
    /// Projects `state`; `isNew` says the record has no projection yet (nothing to remove first).
    static func apply(_ state: RecordState, rowid: Int64, isNew: Bool = false, _ db: Database) throws {
        if !isNew {
            try db.cachedStatement(sql: "DELETE FROM \(state.kind.row.databaseTableName) WHERE id = ?").execute(arguments: [state.id.rawValue])
            try db.cachedStatement(sql: "DELETE FROM searchIndex WHERE rowid = ?").execute(arguments: [rowid])
            try db.cachedStatement(sql: "DELETE FROM unreadableRecord WHERE recordID = ?").execute(arguments: [state.id.rawValue])
        }
        if state.kind == .customer { try CustomerRedirects.follow(state, db) }
        guard !state.isDeleted else { return }
        guard var row = state.kind.row.init(record: state) else {
            try UnreadableRecord(state).insert(db)
            return
        }
        if var about = row as? any CustomerRecordRow {
            about.customerID = try CustomerRedirects.resolve(about.customerID, db)
            row = about
        }
        try row.insert(db)
        let searchable = row.searchableText
        if !searchable.isEmpty {
            try db.cachedStatement(sql: "INSERT INTO searchIndex (rowid, body) VALUES (?, ?)").execute(
                arguments: [rowid, SearchText.fold(searchable)]
            )
        }
    }

    static func table(for kind: RecordKind) -> String { kind.row.databaseTableName }
}
