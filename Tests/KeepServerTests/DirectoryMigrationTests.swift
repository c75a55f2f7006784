import Foundation
import KeepCore
import KeepTenancy
import KeepTestSupport
import Testing

/// The cluster's directory in a real PostgreSQL (`KEEP_TEST_POSTGRES`, which scripts/test starts): its named
/// migrations, the rules its constraints keep, and `keep-server migrate --catalog`. Each test has a database of its own.
@Suite("Directory migrations in PostgreSQL", .timeLimit(.minutes(5)))
struct DirectoryMigrationTests {
    static let tables = ["audit", "device", "enrollment", "keep_migration", "node", "tenant"]

    static func tables(_ url: DirectoryURL) async throws -> [String] {
        try await TestDirectory.strings(on: url, "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1")
    }

    static func recorded(_ url: DirectoryURL) async throws -> [String] {
        try await TestDirectory.strings(on: url, "SELECT name FROM keep_migration ORDER BY name")
    }

    @Test("migrating a fresh directory creates every table and records each named migration, d1 first")
    func fresh() async throws {
        try await TestDirectory.with { (url) async throws in
            let applied = try await DirectoryMigrator(url: url).migrate()
            #expect(applied == DirectoryMigrator.migrations)
            #expect(applied.first == "d1: shops, devices, enrollment codes, limits, pushed counters, audit")
            #expect(try await Self.tables(url) == Self.tables)
            #expect(try await Self.recorded(url) == DirectoryMigrator.migrations)
        }
    }

    @Test("a second run applies nothing, and nothing is pending")
    func secondRun() async throws {
        try await TestDirectory.with { (url) async throws in
            let migrator = DirectoryMigrator(url: url)
            _ = try await migrator.migrate()
            #expect(try await migrator.migrate() == [])
            #expect(try await migrator.pending() == [])
            #expect(try await Self.recorded(url) == DirectoryMigrator.migrations)
        }
    }

    @Test("a dry run lists every pending migration and creates nothing")
    func dryRun() async throws {
        try await TestDirectory.with { (url) async throws in
            #expect(try await DirectoryMigrator(url: url).pending() == DirectoryMigrator.migrations)
            #expect(try await Self.tables(url) == [])
        }
    }

    @Test("migrators started together apply each migration once: the advisory lock makes the others wait")
    func concurrent() async throws {
        try await TestDirectory.with { (url) async throws in
            let results = try await withThrowingTaskGroup(of: [String].self) { group in
                for _ in 0..<4 { group.addTask { try await DirectoryMigrator(url: url).migrate() } }
                return try await group.reduce(into: [[String]]()) { $0.append($1) }
            }
            #expect(results.flatMap { $0 }.sorted() == DirectoryMigrator.migrations.sorted())
            #expect(results.filter(\.isEmpty).count == 3)
            #expect(try await Self.recorded(url) == DirectoryMigrator.migrations)
        }
    }

    @Test("a directory migrated by a newer keep-server is refused and left as it was")
    func newer() async throws {
        try await TestDirectory.with { (url) async throws in
            _ = try await DirectoryMigrator(url: url).migrate()
            try await TestDirectory.run(on: url, "INSERT INTO keep_migration (name) VALUES ('d99: from the future')")
            let error = await #expect(throws: KeepServerError.self) { try await DirectoryMigrator(url: url).migrate() }
            #expect(error?.status == .configuration)
            #expect(error?.description.contains("d99: from the future") == true)
        }
    }

    @Test("the constraints hold: unknown shops, shared token hashes, bad slugs and epochs that go back are refused")
    func constraints() async throws {
        try await TestDirectory.with { (url) async throws in
            _ = try await DirectoryMigrator(url: url).migrate()
            let hash = "'\\x" + String(repeating: "ab", count: 32) + "'"
            let shop = "'8C2D9A8E-0F5B-4C59-9D7A-1B2C3D4E5F60'"
            try await TestDirectory.run(
                on: url,
                "INSERT INTO tenant (slug, shop, name, server_replica, created_at) VALUES ('corner-shop', \(shop), 'Corner', '0123456789abcdef', now())"
            )
            func device(_ id: String, tenant: String, name: String) -> String {
                "INSERT INTO device (id, tenant, name, secret_hash, created_at) VALUES ('\(id)', '\(tenant)', '\(name)', \(hash), now())"
            }
            let refusal = { (sql: String) in try await TestDirectory.refusal(on: url, sql) }
            // 23503 foreign key, 23505 unique, 23514 check: PostgreSQL's own codes.
            #expect(try await refusal(device("00000000000000aa", tenant: "no-such-shop", name: "till")) == "23503")
            #expect(try await refusal(device("00000000000000aa", tenant: "corner-shop", name: "till")) == nil)
            #expect(try await refusal(device("00000000000000bb", tenant: "corner-shop", name: "back office")) == "23505")
            #expect(try await refusal("UPDATE device SET pushed_counter = 5") == nil)
            #expect(try await refusal("UPDATE device SET pushed_counter = 4") == "23514")
            #expect(
                try await refusal(
                    "INSERT INTO tenant (slug, shop, name, server_replica, created_at) VALUES ('../etc', gen_random_uuid()::text, 'X', 'fedcba9876543210', now())"
                ) == "23514"
            )
            try await TestDirectory.run(
                on: url,
                "INSERT INTO node (name, advertise) VALUES ('node-1', 'https://10.0.0.1:8443'), ('node-2', 'https://10.0.0.2:8443')"
            )
            #expect(try await refusal("UPDATE tenant SET owner_node = 'node-9', owner_epoch = 1") == "23503")
            #expect(try await refusal("UPDATE tenant SET owner_node = 'node-1', owner_epoch = 1, lease_expires_at = now() + interval '10 s'") == nil)
            #expect(try await refusal("UPDATE tenant SET owner_epoch = 0") == "23514")
            #expect(try await refusal("UPDATE tenant SET owner_node = 'node-2'") == "23514")
            #expect(try await refusal("UPDATE tenant SET owner_node = 'node-2', owner_epoch = 2") == nil)
            #expect(try await refusal("DELETE FROM node WHERE name = 'node-2'") == "23503")
            #expect(try await refusal("UPDATE tenant SET owner_node = NULL, owner_epoch = 3") == "23514")
        }
    }

    @Test("keep-server migrate --catalog: a dry run, the migration, a second run, --json and $KEEP_CATALOG")
    func command() async throws {
        try await TestDirectory.with { (url) async throws in
            let folder = TemporaryFolder()
            let dry = try await keepServer(["migrate", "--catalog", url.description, "--dry-run"], in: folder.path)
            #expect(dry.status == 0, "\(dry.stderr)")
            #expect(dry.stdout.contains("would apply  d1: shops, devices"), "\(dry.stdout)")
            #expect(dry.stdout.contains("nothing was changed"), "\(dry.stdout)")
            #expect(try await Self.tables(url) == [])

            let first = try await keepServer(["migrate", "--catalog", url.description], in: folder.path)
            #expect(first.status == 0, "\(first.stderr)")
            #expect(first.stdout.contains("applied  d1: shops, devices"), "\(first.stdout)")
            #expect(first.stdout.contains("applied \(DirectoryMigrator.migrations.count) migrations"), "\(first.stdout)")
            #expect(try await Self.tables(url) == Self.tables)

            let second = try await keepServer(["migrate", "--catalog", url.description, "--json"], in: folder.path)
            #expect(second.status == 0, "\(second.stderr)")
            let object = try JSONSerialization.jsonObject(with: Data(second.stdout.utf8)) as? [String: Any]
            #expect(object?["result"] as? String == "current", "\(second.stdout)")
            #expect(object?["catalog"] as? String == url.description)

            let environment = ["PATH": "/usr/bin:/bin", "HOME": folder.path, "KEEP_CATALOG": url.description]
            let fromEnvironment = try await runProcess(Executables.keepServer, ["migrate"], environment: environment, in: folder.path)
            #expect(fromEnvironment.status == 0, "\(fromEnvironment.stderr)")
            #expect(fromEnvironment.stdout.contains("is up to date"), "\(fromEnvironment.stdout)")
        }
    }

    @Test("keep-server migrate --catalog refuses a bad URL (64), an unreachable PostgreSQL (69) and an unknown database (78)")
    func commandFailures() async throws {
        let server = try TestDirectory.server()
        let folder = TemporaryFolder()
        for bad in [
            "mysql://keep@127.0.0.1/keep", "postgresql://127.0.0.1:5432/keep", "postgresql://keep@127.0.0.1:5432",
            "postgresql://keep@127.0.0.1/keep?ssl=true",
        ] {
            let result = try await keepServer(["migrate", "--catalog", bad], in: folder.path)
            #expect(result.status == 64, "\(bad): \(result.stderr)")
            #expect(result.stderr.contains("postgresql://USER@HOST:PORT/DB"), "\(bad): \(result.stderr)")
        }
        let both = try await keepServer(["migrate", "--catalog", server.description, "--all"], in: folder.path)
        #expect(both.status == 64, "\(both.stderr)")
        #expect(both.stderr.contains("leave out --tenant and --all"), "\(both.stderr)")

        // Port 1 on loopback: nothing listens there, so the connection is refused at once.
        let unreachable = try await keepServer(["migrate", "--catalog", "postgresql://keep@127.0.0.1:1/keep"], in: folder.path)
        #expect(unreachable.status == 69, "\(unreachable.stderr)")
        #expect(unreachable.stderr.contains("cannot reach PostgreSQL at 127.0.0.1:1"), "\(unreachable.stderr)")
        #expect(unreachable.stderr.contains("listens on that address and port"), "\(unreachable.stderr)")

        let missing = try await keepServer(["migrate", "--catalog", server.with(database: "keep_no_such_db").description], in: folder.path)
        #expect(missing.status == 78, "\(missing.stderr)")
        #expect(missing.stderr.contains("createdb keep_no_such_db"), "\(missing.stderr)")
    }
}
