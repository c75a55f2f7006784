import ArgumentParser
import Foundation
import KeepStore
import KeepTenancy

/// `keep-server migrate [--tenant SLUG | --all] [--dry-run] [--jobs N] [--json]`.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Bring shops' stores to this keep-server's schema, each after a backup of its file.",
        discussion: """
            Each shop migrates on its own: its file is first copied to DATA/shops/SLUG/backups/, then migrated in \
            transactions. A shop that fails (locked, damaged, out of disk) is reported and left exactly as it was, \
            and the others go on; run it again to pick up what is left. The server serves only shops at its own \
            schema, so run this after installing a new keep-server. Exits 75 when any shop failed.
            """
    )

    @OptionGroup var data: DataOption

    @OptionGroup var selection: TenantSelection

    @Flag(name: .customLong("dry-run"), help: "Only say what would be migrated; change nothing.")
    var dryRun = false

    @Option(name: .long, help: ArgumentHelp("How many shops to migrate at once.", valueName: "n"))
    var jobs = 2

    @Option(name: .customLong("lock-timeout"), help: ArgumentHelp("Seconds to wait for a store another program is writing.", valueName: "seconds"))
    var lockTimeout = 5.0

    @Flag(name: .long, help: "Print one JSON object: {\"schema\", \"tenants\": [{\"slug\", \"version\", \"result\", \"detail\"}]}.")
    var json = false

    func validate() throws {
        guard (1...64).contains(jobs) else { throw ValidationError("--jobs \(jobs) is out of range: use 1 to 64") }
        guard (0...3600).contains(lockTimeout) else { throw ValidationError("--lock-timeout must be 0 to 3600 seconds") }
    }

    func run() async throws {
        var migration = TenantMigration(dataRoot: data.root)
        migration.lockTimeout = lockTimeout
        let outcomes = migration.run(try selection.slugs(data.root), dryRun: dryRun, jobs: jobs)
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
