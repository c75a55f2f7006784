import Foundation
import KeepTenancy
import KeepTestSupport
import Logging
import PostgresNIO

/// A fresh database of its own on the test PostgreSQL that `KEEP_TEST_POSTGRES` names, for one test.
///
/// Without `KEEP_TEST_POSTGRES` the test fails, saying how to start one: a directory test never passes untested.
enum TestDirectory {
    static let logger = Logger(label: "keep.tests.directory", factory: { _ in SwiftLogNoOpLogHandler() })

    /// The test PostgreSQL's URL.
    static func server() throws -> DirectoryURL {
        guard let text = ProcessInfo.processInfo.environment["KEEP_TEST_POSTGRES"], !text.isEmpty else {
            throw TestFailure(
                "KEEP_TEST_POSTGRES is not set, and the directory's tests need PostgreSQL: run scripts/test, or "
                    + "scripts/test-postgres start, then eval \"$(scripts/test-postgres env)\" before swift test"
            )
        }
        return try DirectoryURL.parse(text)
    }

    /// Runs `body` with the URL of a new, empty database, dropped afterwards whatever happens.
    static func with(_ body: (DirectoryURL) async throws -> Void) async throws {
        let server = try server()
        // Lowercase letters and digits only, so the name needs no quoting.
        let name = "keep_test_" + UUID().uuidString.lowercased().filter { $0.isLetter || $0.isNumber }
        try await run(on: server, "CREATE DATABASE \(name)")
        do {
            try await body(server.with(database: name))
            try await run(on: server, "DROP DATABASE \(name) WITH (FORCE)")
        } catch {
            try? await run(on: server, "DROP DATABASE \(name) WITH (FORCE)")
            throw error
        }
    }

    /// Runs one statement built by the test itself (never from input) on `url`.
    static func run(on url: DirectoryURL, _ sql: String) async throws {
        try await DirectoryConnection.with(url, logger: logger) { connection in
            try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
            return ()
        }
    }

    /// The first column of every row `sql` returns, as text.
    static func strings(on url: DirectoryURL, _ sql: String) async throws -> [String] {
        try await DirectoryConnection.with(url, logger: logger) { connection in
            var values: [String] = []
            for try await value in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger).decode(String.self) {
                values.append(value)
            }
            return values
        }
    }

    /// The SQLSTATE PostgreSQL refuses `sql` with, or nil when it is accepted.
    static func refusal(on url: DirectoryURL, _ sql: String) async throws -> String? {
        try await DirectoryConnection.with(url, logger: logger) { connection in
            do {
                try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger)
                return nil
            } catch let error as PSQLError where error.code == .server {
                return error.serverInfo?[.sqlState]
            }
        }
    }
}
