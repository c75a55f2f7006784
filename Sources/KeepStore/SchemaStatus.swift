public import Foundation
import GRDB

/// Where a store file stands against this build's schema, read without changing the file.
public struct SchemaStatus: Sendable, Hashable {
    /// The migrations the file has, oldest first.
    public let applied: [String]
    /// The migrations this build would apply to it, oldest first.
    public let pending: [String]

    /// The schema version: how many migrations the file has.
    public var version: Int { applied.count }
    /// Whether the file is at this build's schema.
    public var isCurrent: Bool { pending.isEmpty }

    /// This build's schema version.
    public static var latestVersion: Int { Schema.migrator.migrations.count }
}

extension ReplicaStore {
    /// Reads a store's schema status without migrating it; a newer or foreign file is an error.
    public static func schemaStatus(at path: String, lockTimeout: TimeInterval = defaultLockTimeout) throws(StoreError) -> SchemaStatus {
        try readOnly(path, lockTimeout: lockTimeout) { db in try status(db, path: path) }
    }

    /// Reads the file at `path` through a read-only connection that is closed afterwards, so that inspecting
    /// a store never creates or changes anything beside it.
    private static func readOnly<T>(_ path: String, lockTimeout: TimeInterval, _ body: (Database) throws -> T) throws(StoreError) -> T {
        guard FileManager.default.fileExists(atPath: path) else { throw StoreError(.noStore(path: path)) }
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(lockTimeout)
        return try mapErrors(path: path) {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            defer { try? queue.close() }
            return try queue.read(body)
        }
    }

    static func status(_ db: Database, path: String) throws -> SchemaStatus {
        guard try Int32.fetchOne(db, sql: "PRAGMA application_id") == Schema.applicationID else {
            throw StoreError(.notAKeepwordStore(path: path))
        }
        let migrator = Schema.migrator
        guard try !migrator.hasBeenSuperseded(db) else { throw StoreError(.newerSchema(path: path)) }
        let applied = try migrator.appliedMigrations(db)
        return SchemaStatus(applied: applied, pending: migrator.migrations.filter { !applied.contains($0) })
    }

    /// Brings the store at `path` to this build's schema, first copying it to `backupPath` (when given and
    /// something is pending) with SQLite's online backup. A failure leaves the file as it was: each
    /// migration runs in its own transaction, and the backup holds the file as it was before any of them.
    ///
    /// - Parameter actor: when given, the migration is noted in the store's audit log under this name.
    /// - Returns: the status before and after.
    @discardableResult
    public static func migrate(
        at path: String,
        backupTo backupPath: String? = nil,
        lockTimeout: TimeInterval = defaultLockTimeout,
        auditedAs actor: String? = nil,
        now: Date = Date()
    ) throws(StoreError) -> (before: SchemaStatus, after: SchemaStatus) {
        let before = try schemaStatus(at: path, lockTimeout: lockTimeout)
        guard !before.isCurrent else { return (before, before) }
        let pool = try openPool(at: path, lockTimeout: lockTimeout)
        defer { try? pool.close() }
        return try mapErrors(path: path) {
            if let backupPath { try OnlineBackup.copy(pool, to: backupPath) }
            try Schema.migrator.migrate(pool)
            let after = try pool.read { db in try status(db, path: path) }
            if let actor {
                let detail = "schema \(before.version) to \(after.version)" + (backupPath.map { "; backup \($0)" } ?? "")
                // The note is a courtesy: a migrated store is not reported as failed for want of it.
                try? pool.write { db in try AuditLog.append("migrate", detail: detail, actor: actor, now: now, db) }
            }
            return (before, after)
        }
    }

    /// Copies this store, consistent even while others write to it, into a new file at `path`.
    public func backup(to path: String) throws(StoreError) {
        try Self.mapErrors(path: self.path) { try OnlineBackup.copy(pool, to: path) }
    }

    /// SQLite's `PRAGMA integrity_check` of the file: the problems it lists, empty when the file is sound.
    public static func integrityProblems(at path: String, lockTimeout: TimeInterval = defaultLockTimeout) throws(StoreError) -> [String] {
        let lines = try readOnly(path, lockTimeout: lockTimeout) { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
        return lines == ["ok"] ? [] : lines
    }

    /// Refuses a store whose pages SQLite's `PRAGMA quick_check` finds damaged: a server checks a shop's store when
    /// it opens it, so that a damaged store is taken out of service before it acknowledges a write it may lose.
    public func checkNotDamaged() throws(StoreError) {
        let lines = try read { db in try String.fetchAll(db, sql: "PRAGMA quick_check") }
        guard lines == ["ok"] else { throw StoreError(.corrupt(path: path, detail: lines.prefix(3).joined(separator: "; "))) }
    }
}
