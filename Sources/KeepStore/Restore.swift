public import Foundation
import GRDB
public import KeepCore

extension ReplicaStore {
    /// Replaces this store's content with a backup of it, while others may be using the store.
    ///
    /// The backup is checked (integrity, and that it is a copy of this very replica), brought to this
    /// build's schema in a working copy, given the new `epoch`, and then copied in with SQLite's online
    /// backup: other connections see the old store or the restored one, never a mix. If anything fails
    /// before that copy, the store is left as it was.
    ///
    /// - Parameter epoch: the store's new epoch (``StoreSetting/storeEpoch``), which tells replicas that
    ///   synced with it to send everything again.
    public func restore(from backupPath: String, epoch: String, auditedAs actor: String, now: Date = Date()) throws(StoreError) {
        let workingPath = path + ".restoring"
        defer { Self.removeFiles(at: workingPath) }
        let trail = try auditLog(limit: Int.max)
        try Self.prepareRestore(from: backupPath, at: workingPath, of: replicaID, epoch: epoch, trail: trail, auditedAs: actor, now: now)
        try Self.mapErrors(path: path) {
            let source = try DatabaseQueue(path: workingPath)
            defer { try? source.close() }
            try source.backup(to: pool)
        }
    }

    /// Puts a backup in place of a store too damaged to open or to write into, as ``restore(from:epoch:auditedAs:now:)``
    /// does for a sound one, but file by file: the damaged file is kept beside it as `store.sqlite.damaged-<time>`.
    /// No program may be writing the store (a server refuses a damaged store's requests).
    ///
    /// - Parameter replica: the replica the store was, which the backup must be a copy of.
    public static func replaceDamaged(
        at path: String,
        replica: ReplicaID,
        from backupPath: String,
        epoch: String,
        auditedAs actor: String,
        now: Date = Date()
    ) throws(StoreError) {
        let workingPath = path + ".restoring"
        defer { removeFiles(at: workingPath) }
        // What of the damaged store's audit log can still be read is kept; the damaged file stays beside it.
        let trail = auditTrail(at: path) ?? []
        try prepareRestore(from: backupPath, at: workingPath, of: replica, epoch: epoch, trail: trail, auditedAs: actor, now: now)
        try mapErrors(path: path) {
            let manager = FileManager.default
            let stamp = Int(now.timeIntervalSince1970)
            if manager.fileExists(atPath: path) { try manager.moveItem(atPath: path, toPath: path + ".damaged-\(stamp)") }
            for suffix in ["-wal", "-shm"] { try? manager.removeItem(atPath: path + suffix) }
            try manager.moveItem(atPath: workingPath, toPath: path)
        }
    }

    /// Makes the copy of a backup to be restored at `workingPath`: checked (integrity, and that it is a copy of
    /// `replica`), brought to this build's schema, given the new epoch, the current store's audit `trail` and an
    /// entry for the restore, and closed.
    private static func prepareRestore(
        from backupPath: String,
        at workingPath: String,
        of replica: ReplicaID,
        epoch: String,
        trail: [AuditEntry],
        auditedAs actor: String,
        now: Date
    ) throws(StoreError) {
        let problems = try integrityProblems(at: backupPath)
        guard problems.isEmpty else { throw StoreError(.corrupt(path: backupPath, detail: problems.prefix(3).joined(separator: "; "))) }
        removeFiles(at: workingPath)
        try mapErrors(path: backupPath) {
            var configuration = Configuration()
            configuration.readonly = true
            let backup = try DatabaseQueue(path: backupPath, configuration: configuration)
            defer { try? backup.close() }
            try OnlineBackup.copy(backup, to: workingPath)
        }
        let working = try open(at: workingPath)
        do throws(StoreError) {
            guard working.replicaID == replica else {
                throw StoreError.invalid(
                    "\(backupPath) is a backup of another store (replica \(working.replicaID), not \(replica)): give the backup of this shop"
                )
            }
            try working.set(.storeEpoch, to: epoch)
            try mapErrors(path: workingPath) { try working.pool.write { db in try AuditLog.carry(trail, db) } }
            try working.audit("tenant restore", detail: "from \(backupPath)", actor: actor, now: now)
            // Everything written into the main file: a damaged store's replacement is moved in without its -wal.
            try working.checkpoint()
            try working.close()
        } catch {
            try? working.close()
            throw error
        }
    }

    private static func removeFiles(at path: String) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}
