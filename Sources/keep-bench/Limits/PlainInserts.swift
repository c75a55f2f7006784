import Foundation
import GRDBSQLite

/// The machine's own limit for storing records: the same blobs written with one prepared INSERT each into a plain
/// table, no merge, through SQLite's C interface, with the store's file settings (WAL, synchronous=FULL) and a
/// durable commit.
enum PlainInserts {
    /// Inserts `blobs` (with their ids and kinds) into a new file at `path`, committing every `perTransaction` rows
    /// (all in one when nil). Returns the seconds from the first BEGIN to the last COMMIT.
    static func run(path: String, rows: [(id: String, kind: String, blob: Data)], perTransaction: Int? = nil) throws -> Double {
        var connection: OpaquePointer?
        guard sqlite3_open_v2(path, &connection, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil) == SQLITE_OK, let db = connection else {
            throw BenchFailure("cannot open \(path)")
        }
        defer { sqlite3_close_v2(db) }
        func execute(_ sql: String) throws {
            guard sqlite3_exec(db, sql, nil, nil, nil) == SQLITE_OK else {
                throw BenchFailure("\(sql): \(String(cString: sqlite3_errmsg(db)))")
            }
        }
        try execute("PRAGMA journal_mode = WAL")
        try execute("PRAGMA synchronous = FULL")
        try execute("CREATE TABLE record (rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, kind TEXT NOT NULL, state BLOB NOT NULL)")
        var prepared: OpaquePointer?
        guard sqlite3_prepare_v2(db, "INSERT INTO record (id, kind, state) VALUES (?, ?, ?)", -1, &prepared, nil) == SQLITE_OK,
            let statement = prepared
        else {
            throw BenchFailure("prepare: \(String(cString: sqlite3_errmsg(db)))")
        }
        defer { sqlite3_finalize(statement) }
        let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
        let batch = perTransaction ?? max(rows.count, 1)
        let start = Clock.now()
        var index = 0
        while index < rows.count {
            try execute("BEGIN")
            for row in rows[index..<min(index + batch, rows.count)] {
                sqlite3_bind_text(statement, 1, row.id, -1, transient)
                sqlite3_bind_text(statement, 2, row.kind, -1, transient)
                _ = row.blob.withUnsafeBytes { bytes in
                    sqlite3_bind_blob(statement, 3, bytes.baseAddress, Int32(bytes.count), transient)
                }
                guard sqlite3_step(statement) == SQLITE_DONE else { throw BenchFailure("insert: \(String(cString: sqlite3_errmsg(db)))") }
                sqlite3_reset(statement)
            }
            try execute("COMMIT")
            index += batch
        }
        return Clock.now() - start
    }
}
