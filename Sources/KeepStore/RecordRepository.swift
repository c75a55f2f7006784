import Foundation
import GRDB
import KeepCore

/// Reads and writes full record states, keeping the shop tables and the search index in step.
enum RecordRepository {
    static func state(_ id: RecordID, _ db: Database) throws -> RecordState? {
        guard let data = try Data.fetchOne(db, sql: "SELECT state FROM record WHERE id = ?", arguments: [id.rawValue]) else {
            return nil
        }
        return try decoder.decode(RecordState.self, from: data)
    }

    /// Stores `state` under the next change sequence number and re-projects it.
    static func save(_ state: RecordState, _ db: Database) throws {
        guard let changeSeq = try Int64.fetchOne(db, sql: "UPDATE replica SET changeSeq = changeSeq + 1 RETURNING changeSeq") else {
            throw StoreError(.database("the replica row is missing"))
        }
        let rowid = try Int64.fetchOne(
            db,
            sql: """
                INSERT INTO record (id, kind, state, changeSeq, isDeleted, hasConflict) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT(id) DO UPDATE SET state = excluded.state, changeSeq = excluded.changeSeq,
                    isDeleted = excluded.isDeleted, hasConflict = excluded.hasConflict
                RETURNING rowid
                """,
            arguments: [
                state.id.rawValue, state.kind.rawValue, try encoder.encode(state), changeSeq, state.isDeleted,
                !state.conflicts.isEmpty,
            ]
        )
        guard let rowid else { throw StoreError(.database("storing record \(state.id) returned no row")) }
        try Projection.apply(state, rowid: rowid, db)
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    private static let decoder = JSONDecoder()
}
