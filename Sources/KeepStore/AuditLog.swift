public import Foundation
import GRDB
import KeepCore

/// One entry of a store's audit log: who changed what about the replica itself (its devices, its
/// suspension, an export or restore). Local to the replica: never synced.
public struct AuditEntry: Sendable, Hashable, Codable {
    public let seq: Int64
    public let at: Date
    public let actor: String
    public let action: String
    public let detail: String
}

extension ReplicaStore {
    /// Appends to the audit log, durably.
    public func audit(_ action: String, detail: String = "", actor: String, now: Date = Date()) throws(StoreError) {
        try Self.mapErrors(path: path) {
            try pool.write { db in try AuditLog.append(action, detail: detail, actor: actor, now: now, db) }
        }
    }

    /// The newest `limit` entries of the audit log, oldest first.
    public func auditLog(limit: Int = 100) throws(StoreError) -> [AuditEntry] {
        try read { db in
            let rows = try Row.fetchAll(db, sql: "SELECT * FROM audit ORDER BY seq DESC LIMIT ?", arguments: [limit])
            return rows.reversed().map { row in
                AuditEntry(
                    seq: row["seq"],
                    at: Date(timeIntervalSince1970: Double(row["at"] as Int64) / 1000),
                    actor: row["actor"],
                    action: row["action"],
                    detail: row["detail"]
                )
            }
        }
    }
}

/// The audit table's one way in.
enum AuditLog {
    static func append(_ action: String, detail: String, actor: String, now: Date, _ db: Database) throws {
        try db.execute(
            sql: "INSERT INTO audit (at, actor, action, detail) VALUES (?, ?, ?, ?)",
            arguments: [now.epochMilliseconds, actor, action, detail]
        )
    }
}
