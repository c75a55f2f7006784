public import Foundation
import GRDB
import KeepCore

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
        let problems = try Self.integrityProblems(at: backupPath)
        guard problems.isEmpty else { throw StoreError(.corrupt(path: backupPath, detail: problems.prefix(3).joined(separator: "; "))) }

        let workingPath = path + ".restoring"
        defer {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: workingPath + suffix) }
        }
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: workingPath + suffix) }
        try Self.mapErrors(path: backupPath) {
            var configuration = Configuration()
            configuration.readonly = true
            let backup = try DatabaseQueue(path: backupPath, configuration: configuration)
            defer { try? backup.close() }
            try OnlineBackup.copy(backup, to: workingPath)
        }

        let working = try Self.open(at: workingPath)
        do throws(StoreError) {
            guard working.replicaID == replicaID else {
                throw StoreError.invalid(
                    "\(backupPath) is a backup of another store (replica \(working.replicaID), not \(replicaID)): give the backup of this shop"
                )
            }
            try working.set(.storeEpoch, to: epoch)
            try working.audit("tenant restore", detail: "from \(backupPath)", actor: actor, now: now)
            try working.close()
        } catch {
            try? working.close()
            throw error
        }

        try Self.mapErrors(path: path) {
            let source = try DatabaseQueue(path: workingPath)
            defer { try? source.close() }
            try source.backup(to: pool)
        }
    }
}
