import Foundation
import GRDB
import KeepCore
import KeepProtocol
import KeepTenancy
import KeepTestSupport
import NIOHTTP1
import Testing

@testable import KeepStore

/// A store as the first release made it: schema v1, before the audit log.
enum FirstSchema {
    static let lastMigration = "v1: replica, records, outbox, shop tables, search"

    /// Writes a v1 store at `path`, as the replica `replica` when given (the one a shop's catalog row names).
    static func store(at path: String, replica: ReplicaID? = nil) throws {
        let store = try ReplicaStore.create(at: path, agent: "old keep-server", schemaUpTo: lastMigration)
        try store.close()
        guard let replica else { return }
        let database = try DatabaseQueue(path: path)
        defer { try? database.close() }
        try database.write { db in try db.execute(sql: "UPDATE replica SET id = ?", arguments: [replica.rawValue]) }
    }

    static func bytes(_ path: String) -> Data { FileManager.default.contents(atPath: path) ?? Data() }

    /// Another program's connection that holds a write transaction open on the file until `release`.
    static func writeLock(_ path: String) throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.allowsUnsafeTransactions = true
        let holder = try DatabaseQueue(path: path, configuration: configuration)
        try holder.writeWithoutTransaction { db in try db.execute(sql: "BEGIN IMMEDIATE") }
        return holder
    }

    static func release(_ holder: DatabaseQueue) throws {
        try holder.writeWithoutTransaction { db in try db.execute(sql: "ROLLBACK") }
        try holder.close()
    }
}

@Suite("Migrating every shop")
struct MigrationTests {
    @Test("200 shops from v1 to the latest, one locked and one corrupt: 198 migrate, 2 are reported untouched, a rerun finishes the unlocked one")
    func twoHundredShops() async throws {
        let folder = TemporaryFolder()
        let root = folder.dataRoot
        let template = folder.path + "/v1.sqlite"
        try FirstSchema.store(at: template)
        let slugs = (0..<200).map { TenantSlug(String(format: "shop-%03d", $0))! }
        for slug in slugs {
            try FileManager.default.createDirectory(atPath: root.folder(of: slug), withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: template, toPath: root.storePath(of: slug))
        }
        let locked = slugs[17]
        let corrupt = slugs[123]
        var damaged = FirstSchema.bytes(root.storePath(of: corrupt))
        damaged.replaceSubrange(0..<100, with: Data(repeating: 0x5A, count: 100))
        try damaged.write(to: URL(fileURLWithPath: root.storePath(of: corrupt)))

        // Another program holds a write transaction on one shop's store for the whole first run.
        let holder = try FirstSchema.writeLock(root.storePath(of: locked))
        let lockedBefore = FirstSchema.bytes(root.storePath(of: locked))

        var migration = TenantMigration(dataRoot: root)
        migration.lockTimeout = 0.2
        let first = migration.run(slugs, dryRun: false, jobs: 2)
        #expect(first.map(\.tenant) == slugs, "one outcome per shop, in order")
        #expect(first.filter(\.failed).map(\.tenant) == [locked, corrupt])
        #expect(first.filter { $0.version == SchemaStatus.latestVersion }.count == 198)
        for outcome in first where !outcome.failed {
            guard case .migrated(let backup) = outcome.result else {
                Issue.record("\(outcome.tenant): \(outcome.result)")
                continue
            }
            #expect(try ReplicaStore.schemaStatus(at: backup).version == 1, "the backup holds the store as it was")
        }
        #expect(FirstSchema.bytes(root.storePath(of: corrupt)) == damaged, "the corrupt store is left exactly as it was")
        #expect(FirstSchema.bytes(root.storePath(of: locked)) == lockedBefore, "the locked store is left exactly as it was")
        try FirstSchema.release(holder)
        #expect(try ReplicaStore.schemaStatus(at: root.storePath(of: locked)).version == 1)

        let second = migration.run(slugs, dryRun: false, jobs: 2)
        #expect(second.filter(\.failed).map(\.tenant) == [corrupt])
        let migrated = second.compactMap { outcome -> TenantSlug? in
            if case .migrated = outcome.result { outcome.tenant } else { nil }
        }
        #expect(migrated == [locked], "a second run picks up only what is left")
        #expect(second.filter { $0.result == .current }.count == 198)
        let audit = try ReplicaStore.open(at: root.storePath(of: locked)).auditLog()
        #expect(audit.map(\.action) == ["migrate"])
    }

    @Test("a dry run says what would change and changes nothing")
    func dryRun() async throws {
        let folder = TemporaryFolder()
        let slug = TenantSlug("corner-shop")!
        try FileManager.default.createDirectory(atPath: folder.dataRoot.folder(of: slug), withIntermediateDirectories: true)
        try FirstSchema.store(at: folder.dataRoot.storePath(of: slug))
        let before = FirstSchema.bytes(folder.dataRoot.storePath(of: slug))
        let outcomes = TenantMigration(dataRoot: folder.dataRoot).run([slug], dryRun: true, jobs: 1)
        #expect(
            outcomes.first?.result
                == .wouldMigrate(pending: [
                    "v2: audit log", "v3: purchases, surveys, automatic follow-ups",
                    "v4: the reply clock pauses while waiting on the customer", "v5: records the reader cannot read",
                    "v6: the reserved field deleted leaves the records that hold it",
                    "v7: phone numbers are found by their digits, however they are written",
                    "v8: the shop's settings are one record every laptop shares; merged customers",
                    "v9: the undo log, this laptop's recent changes for keep undo",
                ])
        )
        #expect(FirstSchema.bytes(folder.dataRoot.storePath(of: slug)) == before)
        #expect(!FileManager.default.fileExists(atPath: folder.dataRoot.backupsFolder(of: slug)))
    }

    @Test("the server refuses a shop whose store it has not migrated, says so in its log, and serves it once migrated")
    func serverRefusesAnUnmigratedStore() async throws {
        let capture = LogCapture()
        try await TestServer.run(logger: capture.logger()) { server in
            let shop = try server.createTenant("corner-shop")
            let token = try server.addDevice("laptop", to: "corner-shop")
            let slug = TenantSlug("corner-shop")!
            let path = server.dataRoot.storePath(of: slug)
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            try FirstSchema.store(at: path, replica: shop.serverReplica)

            let refused = try await server.send(.GET, "/v1/hello", token: token)
            #expect(refused.status == 503)
            #expect(try refused.error().error == "unavailable")
            #expect(try ReplicaStore.schemaStatus(at: path).version == 1, "the server did not migrate it")
            #expect(capture.text.contains("keep-server migrate --tenant corner-shop"), "\(capture.text)")

            let outcomes = TenantMigration(dataRoot: server.dataRoot).run([slug], dryRun: false, jobs: 1)
            #expect(outcomes.first?.version == SchemaStatus.latestVersion)
            #expect(try await server.send(.GET, "/v1/hello", token: token).status == 200)
        }
    }

    @Test("keep-server migrate --all as a process: a summary of every shop, exit 75 while one fails, 0 after")
    func commandLine() async throws {
        let folder = TemporaryFolder()
        for slug in ["alpha", "beta"] {
            #expect(try await keepServer(["tenant", "create", slug, "--data", "data"], in: folder.path).status == 0)
            let path = folder.dataRoot.storePath(of: TenantSlug(slug)!)
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            try FirstSchema.store(at: path)
        }
        let dry = try await keepServer(["migrate", "--all", "--dry-run", "--data", "data"], in: folder.path)
        #expect(dry.status == 0)
        #expect(dry.stdout.contains("would apply: v2: audit log"))

        let holder = try FirstSchema.writeLock(folder.dataRoot.storePath(of: TenantSlug("beta")!))
        let first = try await keepServer(["migrate", "--all", "--lock-timeout", "0.2", "--json", "--data", "data"], in: folder.path)
        #expect(first.status == 75)
        let report = try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any]
        let tenants = report?["tenants"] as? [[String: Any]] ?? []
        #expect(tenants.map { $0["slug"] as? String } == ["alpha", "beta"])
        #expect(tenants.map { $0["result"] as? String } == ["migrated", "failed"])
        try FirstSchema.release(holder)

        let second = try await keepServer(["migrate", "--all", "--data", "data"], in: folder.path)
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stdout.contains("2 shops: migrated 1, already at schema v\(SchemaStatus.latestVersion) 1, failed 0"), "\(second.stdout)")
        let neither = try await keepServer(["migrate", "--data", "data"], in: folder.path)
        #expect(neither.status == 64)
        #expect(neither.stderr.contains("--tenant SLUG"))
    }
}
