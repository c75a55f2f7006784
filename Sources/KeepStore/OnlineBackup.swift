import Foundation
public import GRDB

/// SQLite's online backup into a new file: consistent while others write to the source, for store and
/// catalog alike.
public enum OnlineBackup {
    /// Copies `source` into a new file at `path` (its folder created, owner-only), made durable. A file
    /// already at `path` is refused; a failed copy leaves nothing behind.
    public static func copy(_ source: any DatabaseReader, to path: String) throws {
        guard !FileManager.default.fileExists(atPath: path) else { throw StoreError(.alreadyExists(path: path)) }
        let folder = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        var configuration = Configuration()
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        let copy = try DatabaseQueue(path: path, configuration: configuration)
        do {
            try source.backup(to: copy)
            // A copy that keeps no WAL beside it is one file an operator can move, and a journal mode to restore into.
            try copy.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = DELETE") }
            try copy.close()
        } catch {
            try? copy.close()
            try? FileManager.default.removeItem(atPath: path)
            throw error
        }
    }
}

extension ReplicaStore {
    /// The store's size on disk at `path`, its write-ahead log included; 0 for a missing file.
    public static func bytesOnDisk(at path: String) -> Int64 {
        ["", "-wal"].reduce(Int64(0)) { total, suffix in
            let size = (try? FileManager.default.attributesOfItem(atPath: path + suffix)[.size] as? NSNumber)??.int64Value ?? 0
            return total + size
        }
    }
}
