import Foundation
import GRDB
import KeepCore

/// Reads and writes full record states, keeping the shop tables and the search index in step.
///
/// Statements are cached per connection: a sync runs these for every record, and compiling them each time was
/// a quarter of the merge's CPU.
enum RecordRepository {
    static func state(_ id: RecordID, _ db: Database) throws -> RecordState? {
        let statement = try db.cachedStatement(sql: "SELECT state FROM record WHERE id = ?")
        guard let data = try Data.fetchOne(statement, arguments: [id.rawValue]) else { return nil }
        return try decode(data)
    }

    /// A stored state.
    static func decode(_ data: Data) throws -> RecordState {
        // The store wrote it as canonical JSON, which the direct reader reads; JSONDecoder would say what is wrong.
        if let state = try? StateJSONReader.state(data) { return state }
        return try decoder.decode(RecordState.self, from: data)
    }

    /// Stores `state` under the next change sequence number and re-projects it.
    ///
    /// - Parameter isNew: the store has never held this record, so there is no projection to remove first.
    static func save(_ state: RecordState, isNew: Bool = false, _ db: Database) throws {
        let nextChange = try db.cachedStatement(sql: "UPDATE replica SET changeSeq = changeSeq + 1 RETURNING changeSeq")
        guard let changeSeq = try Int64.fetchOne(nextChange) else {
            throw StoreError(.database("the replica row is missing"))
        }
        let rowid = try Int64.fetchOne(
            db.cachedStatement(
                sql: """
                    INSERT INTO record (id, kind, state, changeSeq, isDeleted, hasConflict) VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT(id) DO UPDATE SET state = excluded.state, changeSeq = excluded.changeSeq,
                        isDeleted = excluded.isDeleted, hasConflict = excluded.hasConflict
                    RETURNING rowid
                    """
            ),
            arguments: [
                state.id.rawValue, state.kind.rawValue, state.canonicalJSON, changeSeq, state.isDeleted,
                !state.conflicts.isEmpty,
            ]
        )
        guard let rowid else { throw StoreError(.database("storing record \(state.id) returned no row")) }
        try Projection.apply(state, rowid: rowid, isNew: isNew, db)
    }

    private static let decoder = JSONDecoder()
}
