public import Logging
import PostgresNIO

/// Brings the directory's schema in PostgreSQL up to this build's: the pending named migrations, all in one
/// transaction, so that a failure leaves the directory exactly as it was.
///
/// Every node may run this as it starts. A transaction-scoped advisory lock makes the second of two nodes that start
/// together wait for the first, then find nothing left to do.
public struct DirectoryMigrator: Sendable {
    public let url: DirectoryURL
    private let logger: Logger

    /// The advisory lock's key: "keep" in ASCII, so that other programs sharing the server can tell it is ours.
    static let lockKey: Int64 = 0x6B65_6570

    /// Every migration this build knows, oldest first.
    public static var migrations: [String] { DirectorySchema.migrations.map(\.name) }

    /// A migrator for the directory at `url`; `logger` receives PostgresNIO's own messages (none by default).
    public init(url: DirectoryURL, logger: Logger = Logger(label: "keep.directory", factory: { _ in SwiftLogNoOpLogHandler() })) {
        self.url = url
        self.logger = logger
    }

    /// The migrations the directory lacks, oldest first; changes nothing.
    public func pending() async throws(KeepServerError) -> [String] {
        let (url, logger) = (url, logger)
        return try await DirectoryConnection.with(url, logger: logger) { connection in
            let exists =
                try await connection.query("SELECT to_regclass('keep_migration') IS NOT NULL", logger: logger)
                .collect().first?.decode(Bool.self) ?? false
            let applied = exists ? try await Self.applied(connection, url: url, logger: logger) : []
            return Self.migrations.filter { !applied.contains($0) }
        }
    }

    /// Applies what is pending and returns the names applied, oldest first; empty when the directory was up to date.
    public func migrate() async throws(KeepServerError) -> [String] {
        let (url, logger) = (url, logger)
        return try await DirectoryConnection.with(url, logger: logger) { connection in
            try await connection.withTransaction(logger: logger) { connection in
                try await connection.query("SELECT pg_advisory_xact_lock(\(Self.lockKey))", logger: logger)
                try await connection.query(
                    "CREATE TABLE IF NOT EXISTS keep_migration (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
                    logger: logger
                )
                let applied = try await Self.applied(connection, url: url, logger: logger)
                var done: [String] = []
                for migration in DirectorySchema.migrations where !applied.contains(migration.name) {
                    for statement in migration.statements {
                        try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                    }
                    try await connection.query("INSERT INTO keep_migration (name) VALUES (\(migration.name))", logger: logger)
                    done.append(migration.name)
                }
                return done
            }
        }
    }

    /// The names recorded in `keep_migration`; one this build does not know means a newer keep-server migrated it.
    private static func applied(_ connection: PostgresConnection, url: DirectoryURL, logger: Logger) async throws -> Set<String> {
        var applied = Set<String>()
        for try await name in try await connection.query("SELECT name FROM keep_migration", logger: logger).decode(String.self) {
            applied.insert(name)
        }
        let unknown = applied.subtracting(migrations)
        guard unknown.isEmpty else { throw KeepServerError(.newerDirectory(url, unknown: unknown.sorted())) }
        return applied
    }
}
