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
        try read { db in try AuditLog.entries(limit: limit, db) }
    }

    /// The whole audit log of the store file at `path`, read without opening it as a store (it may be damaged);
    /// nil when it cannot be read.
    static func auditTrail(at path: String) -> [AuditEntry]? {
        var configuration = Configuration()
        configuration.readonly = true
        guard let queue = try? DatabaseQueue(path: path, configuration: configuration) else { return nil }
        defer { try? queue.close() }
        return try? queue.read { db in try AuditLog.entries(limit: Int.max, db) }
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

    static func entries(limit: Int, _ db: Database) throws -> [AuditEntry] {
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

    /// Adds to this log the entries of `trail` it lacks, in time order: a restore brings back the book as it was,
    /// never the operators' record of what was done to it since.
    static func carry(_ trail: [AuditEntry], _ db: Database) throws {
        struct Key: Hashable {
            let at: Date
            let actor: String
            let action: String
            let detail: String
        }
        func key(_ entry: AuditEntry) -> Key { Key(at: entry.at, actor: entry.actor, action: entry.action, detail: entry.detail) }
        let present = try entries(limit: Int.max, db)
        let known = Set(present.map(key))
        let missing = trail.filter { !known.contains(key($0)) }
        guard !missing.isEmpty else { return }
        let merged = (present + missing).enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }.map(\.element)
        try db.execute(sql: "DELETE FROM audit")
        for entry in merged { try append(entry.action, detail: entry.detail, actor: entry.actor, now: entry.at, db) }
    }
}
