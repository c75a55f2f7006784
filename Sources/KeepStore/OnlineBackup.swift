import Foundation
public import GRDB

#if canImport(Glibc)
import Glibc
#endif

/// SQLite's online backup into a new file: consistent while others write to the source, for store and
/// catalog alike.
public enum OnlineBackup {
    /// Copies `source` into a new file at `path` (its folder created, owner-only), made durable. A file
    /// already at `path` is refused; a failed copy leaves nothing behind.
    public static func copy(_ source: any DatabaseReader, to path: String) throws {
        guard !FileManager.default.fileExists(atPath: path) else { throw StoreError(.alreadyExists(path: path)) }
        let folder = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try PrivateFile.create(at: path)
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

/// A new, empty file only its owner may read and write: SQLite keeps the mode of the file it opens, and gives its
/// -wal and -shm files the same.
enum PrivateFile {
    static func create(at path: String) throws(StoreError) {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw StoreError(.cannotOpen(path: path, detail: String(cString: strerror(errno))))
        }
        close(descriptor)
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
