import ArgumentParser
import Foundation
import KeepStore
import KeepTenancy

/// `keep-server migrate [--tenant SLUG | --all] [--dry-run] [--jobs N] [--json]`, or
/// `keep-server migrate --catalog URL [--dry-run] [--json]` for the cluster's directory in PostgreSQL.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Bring shops' stores to this keep-server's schema, each after a backup of its file.",
        discussion: """
            Each shop migrates on its own: its file is first copied to DATA/shops/SLUG/backups/, then migrated in \
            transactions. A shop that fails (locked, damaged, out of disk) is reported and left exactly as it was, \
            and the others go on; run it again to pick up what is left. The server serves only shops at its own \
            schema, so run this after installing a new keep-server. Exits 75 when any shop failed.

            With --catalog (or $KEEP_CATALOG, when neither --tenant nor --all is given), migrates the cluster's \
            directory in PostgreSQL instead: its pending named migrations in one transaction, which two nodes \
            starting together cannot both apply. Exits 69 when PostgreSQL cannot be reached.
            """
    )

    @OptionGroup var data: DataOption

    // Not TenantSelection: with --catalog, naming no shop is right.
    @Option(name: .long, help: ArgumentHelp("Only this shop.", valueName: "slug"))
    var tenant: String?

    @Flag(name: .long, help: "Every shop.")
    var all = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Migrate the cluster's directory at this PostgreSQL URL instead of shops' stores (default: $KEEP_CATALOG).",
            valueName: "postgresql://user@host:port/db"
        )
    )
    var catalog: String?

    @Flag(name: .customLong("dry-run"), help: "Only say what would be migrated; change nothing.")
    var dryRun = false

    @Option(name: .long, help: ArgumentHelp("How many shops to migrate at once.", valueName: "n"))
    var jobs = 2

    @Option(name: .customLong("lock-timeout"), help: ArgumentHelp("Seconds to wait for a store another program is writing.", valueName: "seconds"))
    var lockTimeout = 5.0

    @Flag(
        name: .long,
        help: """
            Print one JSON object: {"schema", "tenants": [{"slug", "version", "result", "detail"}]}; \
            with --catalog, {"catalog", "result", "migrations"}.
            """
    )
    var json = false

    func validate() throws {
        if catalog != nil, tenant != nil || all {
            throw ValidationError("--catalog migrates the directory, not shops' stores: leave out --tenant and --all, or --catalog")
        }
        if try directoryURL() == nil {
            guard (tenant != nil) != all else { throw ValidationError("name one shop with --tenant SLUG, or every shop with --all") }
        }
        guard (1...64).contains(jobs) else { throw ValidationError("--jobs \(jobs) is out of range: use 1 to 64") }
        guard (0...3600).contains(lockTimeout) else { throw ValidationError("--lock-timeout must be 0 to 3600 seconds") }
    }

    /// The directory to migrate: --catalog, else $KEEP_CATALOG when no shop is named; a bad URL is a usage error.
    private func directoryURL() throws -> DirectoryURL? {
        let environment = ProcessInfo.processInfo.environment["KEEP_CATALOG"].flatMap { $0.isEmpty ? nil : $0 }
        guard let text = catalog ?? (tenant == nil && !all ? environment : nil) else { return nil }
        do {
            return try DirectoryURL.parse(text)
        } catch {
            throw ValidationError(error.description)
        }
    }

    func run() async throws {
        if let directory = try directoryURL() {
            return try await migrateDirectory(directory)
        }
        var migration = TenantMigration(dataRoot: data.root)
        migration.lockTimeout = lockTimeout
        let outcomes = migration.run(try TenantSelection.slugs(tenant: tenant, all: all, data.root), dryRun: dryRun, jobs: jobs)
        let failed = outcomes.filter(\.failed)
        if json {
            try Output.json(MigrationJSON(schema: SchemaStatus.latestVersion, tenants: outcomes.map(MigrationJSON.Entry.init)))
        } else {
            for outcome in outcomes {
                Output.line(Self.line(outcome))
            }
            let verb = dryRun ? "would migrate" : "migrated"
            let changed = outcomes.filter { if case .current = $0.result { false } else { !$0.failed } }.count
            Output.line(
                "\(outcomes.count) shops: \(verb) \(changed), already at schema v\(SchemaStatus.latestVersion) \(outcomes.count - changed - failed.count), failed \(failed.count)"
                    + (failed.isEmpty ? "" : "; fix what is reported and run this again")
            )
        }
        if !failed.isEmpty { throw ExitCode(75) }
    }

    private func migrateDirectory(_ url: DirectoryURL) async throws {
        let migrator = DirectoryMigrator(url: url)
        let names = dryRun ? try await migrator.pending() : try await migrator.migrate()
        let result = names.isEmpty ? "current" : dryRun ? "would_migrate" : "migrated"
        if json {
            try Output.json(DirectoryMigrationJSON(catalog: url.description, result: result, migrations: names))
            return
        }
        for name in names {
            Output.line("\(dryRun ? "would apply" : "applied")  \(name)")
        }
        let summary =
            switch result {
            case "current": "is up to date (\(DirectoryMigrator.migrations.count) migrations): nothing to apply"
            case "would_migrate": "would apply \(names.count) of \(DirectoryMigrator.migrations.count) migrations; nothing was changed"
            default: "applied \(names.count) migrations; it is up to date"
            }
        Output.line("the directory \(url) \(summary)")
    }

    private static func line(_ outcome: TenantMigration.Outcome) -> String {
        let version = outcome.version.map { "v\($0)" } ?? "v?"
        let slug = outcome.tenant.rawValue.padding(toLength: max(outcome.tenant.rawValue.count, 24), withPad: " ", startingAt: 0)
        switch outcome.result {
        case .current: return "\(slug)  \(version)  up to date"
        case .migrated(let backup): return "\(slug)  \(version)  migrated (was backed up to \(backup))"
        case .wouldMigrate(let pending): return "\(slug)  \(version)  would apply: \(pending.joined(separator: ", "))"
        case .failed(let problem): return "\(slug)  \(version)  FAILED, left as it was: \(problem)"
        }
    }
}

/// `migrate --catalog URL --json`: `result` is current, migrated or would_migrate; `migrations` what was (or would be)
/// applied.
struct DirectoryMigrationJSON: Encodable {
    let catalog: String
    let result: String
    let migrations: [String]
}

/// `migrate --json`.
struct MigrationJSON: Encodable {
    struct Entry: Encodable {
        let slug: String
        let version: Int?
        let result: String
        let detail: String?

        init(_ outcome: TenantMigration.Outcome) {
            slug = outcome.tenant.rawValue
            version = outcome.version
            switch outcome.result {
            case .current: (result, detail) = ("current", nil)
            case .migrated(let backup): (result, detail) = ("migrated", backup)
            case .wouldMigrate(let pending): (result, detail) = ("would_migrate", pending.joined(separator: ", "))
            case .failed(let problem): (result, detail) = ("failed", problem)
            }
        }
    }

    let schema: Int
    let tenants: [Entry]
}
