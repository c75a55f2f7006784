public import Foundation
public import GRDB
public import KeepCore

#if canImport(Glibc)
import Glibc
#endif

/// One replica's SQLite store: a laptop's customer book, or (later) the server's copy of a shop.
///
/// Owns the database. Every local write mints a dot from the replica's counter, stores the
/// record's full state, projects it into the shop tables and the search index, and appends to the
/// outbox, all in one transaction.
public struct ReplicaStore: Sendable {
    public let path: String
    public let replicaID: ReplicaID
    /// A pool (a writer and readers) on laptops; one connection for the server's many shops (see `open`).
    let pool: any DatabaseWriter
    /// True for the store handed to a ``snapshot(_:)`` body: its reads join the snapshot's transaction.
    private let inSnapshot: Bool
    /// False for a store made at an older schema for a test, which is written as an older build wrote it: without
    /// the undo log, which it does not have yet.
    let logsChanges: Bool

    private init(path: String, pool: any DatabaseWriter, replicaID: ReplicaID, inSnapshot: Bool = false, logsChanges: Bool = true) {
        self.path = path
        self.pool = pool
        self.replicaID = replicaID
        self.inSnapshot = inSnapshot
        self.logsChanges = logsChanges
    }

    /// Creates a new, empty store with a fresh replica id.
    public static func create(at path: String, agent: String, now: Date = Date()) throws(StoreError) -> ReplicaStore {
        try create(at: path, agent: agent, now: now, schemaUpTo: nil)
    }

    /// Creates a store at an older schema (`schemaUpTo` names its last migration), as an older build made it:
    /// for testing migrations.
    static func create(at path: String, agent: String, now: Date = Date(), schemaUpTo: String?) throws(StoreError) -> ReplicaStore {
        let fileManager = FileManager.default
        guard !fileManager.fileExists(atPath: path) else { throw StoreError(.alreadyExists(path: path)) }
        do {
            let folder = (path as NSString).deletingLastPathComponent
            try fileManager.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw StoreError(.cannotOpen(path: path, detail: "cannot create its folder: \(error.localizedDescription)"))
        }
        try PrivateFile.create(at: path)
        let pool = try openPool(at: path)
        let replicaID = ReplicaID.random()
        try mapErrors(path: path) {
            try pool.write { db in
                try db.execute(sql: "PRAGMA application_id = \(Schema.applicationID)")
            }
            if let schemaUpTo {
                try Schema.migrator.migrate(pool, upTo: schemaUpTo)
            } else {
                try Schema.migrator.migrate(pool)
            }
            try pool.write { db in
                try db.execute(
                    sql: "INSERT INTO replica (singleton, id, counter, changeSeq, createdAt) VALUES (1, ?, 0, 0, ?)",
                    arguments: [replicaID.rawValue, now.epochMilliseconds]
                )
                try StoreSettings.write(.agent, agent, db)
            }
        }
        return ReplicaStore(path: path, pool: pool, replicaID: replicaID, logsChanges: schemaUpTo == nil)
    }

    /// Opens an existing store, bringing an older schema up to date unless `migrating` is false.
    ///
    /// - Parameters:
    ///   - lockTimeout: how long to wait for another program's write to finish before giving up.
    ///   - migrating: false for the server, which serves only stores at its schema and leaves migrating
    ///     to the operator's `keep-server migrate` (with its backup); an older store is then an error.
    ///   - oneConnection: one SQLite connection instead of a writer and readers, for the server, which keeps a
    ///     thousand shops' stores open and serves each one request at a time: it halves the files and memory
    ///     each open store holds.
    public static func open(
        at path: String,
        lockTimeout: TimeInterval = defaultLockTimeout,
        migrating: Bool = true,
        oneConnection: Bool = false
    ) throws(StoreError) -> ReplicaStore {
        guard FileManager.default.fileExists(atPath: path) else { throw StoreError(.noStore(path: path)) }
        // A store this user may only read (another user's, a read-only copy) is still read: writes are refused.
        let readOnly = access(path, W_OK) != 0
        if !readOnly { makePrivate(path) }
        let pool: any DatabaseWriter =
            if readOnly {
                try openReadOnly(at: path, lockTimeout: lockTimeout)
            } else if oneConnection {
                try openQueue(at: path, lockTimeout: lockTimeout)
            } else {
                try openPool(at: path, lockTimeout: lockTimeout)
            }
        do throws(StoreError) {
            let replicaID = try mapErrors(path: path) { () throws -> ReplicaID? in
                // One read for both: a server opens a shop's store again whenever it was closed to make room.
                let (status, id) = try pool.read { db in
                    let status = try Self.status(db, path: path)
                    return (status, status.isCurrent ? try String.fetchOne(db, sql: "SELECT id FROM replica") : nil)
                }
                if status.isCurrent { return id.flatMap(ReplicaID.init) }
                guard !readOnly else { throw StoreError(.readOnly(path: path)) }
                guard migrating else { throw StoreError(.olderSchema(path: path, version: status.version)) }
                try Schema.migrator.migrate(pool)
                return try pool.read { db in try String.fetchOne(db, sql: "SELECT id FROM replica").flatMap(ReplicaID.init) }
            }
            guard let replicaID else { throw StoreError(.notAKeepwordStore(path: path)) }
            return ReplicaStore(path: path, pool: pool, replicaID: replicaID)
        } catch {
            try? pool.close()
            throw error
        }
    }

    /// Long enough for another `keep` to finish any write; short enough that a stuck lock is reported.
    public static let defaultLockTimeout: TimeInterval = 10

    static func openPool(at path: String, lockTimeout: TimeInterval = defaultLockTimeout) throws(StoreError) -> DatabasePool {
        var configuration = configuration(lockTimeout: lockTimeout)
        configuration.maximumReaderCount = 2
        return try mapErrors(path: path) { try DatabasePool(path: path, configuration: configuration) }
    }

    /// Takes group and others' access away from a store made by an older keep (and its -wal and -shm files), when
    /// this user owns it: a shop's book holds its customers' personal data.
    static func makePrivate(_ path: String) {
        for file in [path, path + "-wal", path + "-shm"] {
            var status = stat()
            guard stat(file, &status) == 0, status.st_uid == geteuid(), status.st_mode & 0o077 != 0 else { continue }
            chmod(file, status.st_mode & 0o700)
        }
    }

    /// One read-only connection. A WAL store needs its -shm file to be read: when it is missing and cannot be made
    /// (a folder this user may not write), the file is read as immutable, as it was last closed.
    static func openReadOnly(at path: String, lockTimeout: TimeInterval) throws(StoreError) -> DatabaseQueue {
        var configuration = configuration(lockTimeout: lockTimeout)
        configuration.readonly = true
        let folder = (path as NSString).deletingLastPathComponent
        let canShare = access(path + "-shm", R_OK) == 0 || access(folder.isEmpty ? "." : folder, W_OK) == 0
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        let location =
            canShare ? path : "file:" + (absolute.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? absolute) + "?immutable=1"
        return try mapErrors(path: path) { try DatabaseQueue(path: location, configuration: configuration) }
    }

    /// One connection, in the same WAL mode as a pool, so that laptops' tools and the server read each other's files.
    static func openQueue(at path: String, lockTimeout: TimeInterval = defaultLockTimeout) throws(StoreError) -> DatabaseQueue {
        var configuration = configuration(lockTimeout: lockTimeout)
        configuration.journalMode = .wal
        return try mapErrors(path: path) { try DatabaseQueue(path: path, configuration: configuration) }
    }

    private static func configuration(lockTimeout: TimeInterval) -> Configuration {
        var configuration = Configuration()
        configuration.label = "keep"
        // Two `keep` processes may write at once: the second waits for the first instead of failing.
        configuration.busyMode = .timeout(lockTimeout)
        configuration.prepareDatabase { db in
            // An acknowledged write survives power loss.
            try db.execute(sql: "PRAGMA synchronous = FULL")
            // Deleted and rewritten content is zeroed, so that a forgotten customer's words leave the file.
            try db.execute(sql: "PRAGMA secure_delete = ON")
        }
        return configuration
    }

    /// Closes the database files.
    public func close() throws(StoreError) {
        try Self.mapErrors(path: path) { try pool.close() }
    }

    // MARK: Writing

    /// Runs `body` as one transaction of local writes by `agent` at `now`; if it throws, nothing is written.
    /// What it writes is one change in the undo log, which `keep undo` can take back.
    ///
    /// Database failures come out as ``StoreError``; errors thrown by `body` come out as they are.
    public func write<T>(agent: String, now: Date = Date(), _ body: (inout LocalWriter) throws -> T) throws -> T {
        do {
            return try pool.write { db in
                var writer = LocalWriter(db: db, replica: replicaID, agent: agent, now: now, recordingChanges: logsChanges)
                let result = try body(&writer)
                try writer.commitChange()
                return result
            }
        } catch let error as DatabaseError {
            throw StoreError(Self.reason(for: error, path: path))
        }
    }

    /// Reads in a consistent snapshot.
    public func read<T>(_ body: (Database) throws -> T) throws(StoreError) -> T {
        // Inside `snapshot`, this runs on the snapshot's connection, in its open transaction (GRDB's reentrant read).
        try Self.mapErrors(path: path) { inSnapshot ? try pool.unsafeReentrantRead(body) : try pool.read(body) }
    }

    /// Runs several reads of this store as one snapshot, so that what they return agrees: a list and the customers
    /// it names, while another `keep` writes. Only reads belong in `body`; its failures come out as from `read`.
    public func snapshot<T>(_ body: (ReplicaStore) throws -> T) throws(StoreError) -> T {
        if inSnapshot { return try Self.mapErrors(path: path) { try body(self) } }
        let bound = ReplicaStore(path: path, pool: pool, replicaID: replicaID, inSnapshot: true)
        return try Self.mapErrors(path: path) { try pool.read { _ in try body(bound) } }
    }

    /// Turns any failure into a ``StoreError`` that says what to do.
    static func mapErrors<T>(path: String, _ body: () throws -> T) throws(StoreError) -> T {
        do {
            return try body()
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError {
            throw StoreError(reason(for: error, path: path))
        } catch {
            throw StoreError(.database(String(describing: error)))
        }
    }

    static func reason(for error: DatabaseError, path: String) -> StoreError.Reason {
        switch error.resultCode {
        case .SQLITE_BUSY, .SQLITE_LOCKED: .locked(path: path)
        case .SQLITE_CORRUPT: .corrupt(path: path, detail: error.message ?? "corrupt")
        case .SQLITE_NOTADB: .notAKeepwordStore(path: path)
        case .SQLITE_CANTOPEN: .cannotOpen(path: path, detail: error.message ?? "cannot open")
        case .SQLITE_READONLY, .SQLITE_PERM: .readOnly(path: path)
        case .SQLITE_FULL: .diskFull(path: path)
        default: .database(error.message ?? error.description)
        }
    }
}
