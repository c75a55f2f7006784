import ArgumentParser
import Foundation
import KeepTenancy

/// The shops a maintenance command works on: `--tenant SLUG` or `--all`.
struct TenantSelection: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Only this shop.", valueName: "slug"))
    var tenant: String?

    @Flag(name: .long, help: "Every shop.")
    var all = false

    func validate() throws {
        guard (tenant != nil) != all else { throw ValidationError("name one shop with --tenant SLUG, or every shop with --all") }
    }

    func slugs(_ root: DataRoot) throws -> [TenantSlug] {
        let administration = Administration(dataRoot: root)
        if let tenant {
            let slug = try TenantSlug.parse(tenant)
            return [try administration.existingTenant(slug).slug]
        }
        return try administration.tenants().map(\.tenant.slug)
    }
}

/// `keep-server backup --to DIR [--tenant SLUG | --all]`.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Copy the catalog and shops' stores into DIR/<time>/, consistent while the server syncs.",
        discussion: "Uses SQLite's online backup. Exits 74 when any shop could not be copied (the others are)."
    )

    @OptionGroup var data: DataOption
    @OptionGroup var selection: TenantSelection

    @Option(name: .customLong("to"), help: ArgumentHelp("The folder to back up into.", valueName: "dir"))
    var folder: String

    func run() async throws {
        let result = try data.administration.backup(try selection.slugs(data.root), to: folder)
        Output.line("Backed up \(result.copies.count - 1) shops and the catalog into \(result.folder)")
        for (tenant, problem) in result.failures {
            Output.error("shop \(tenant) was not backed up: \(problem)")
        }
        if !result.failures.isEmpty { throw ExitCode(74) }
    }
}

/// `keep-server restore --tenant SLUG --from BACKUP`.
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Put one shop's store back as a backup holds it, while the server runs.",
        discussion: """
            BACKUP is a folder made by `keep-server backup` or the shop's .sqlite file in it. The backup is checked \
            first and the shop is left as it was if it is damaged or belongs to another shop. Devices are kept as \
            they are now. Each laptop that synced since the backup sends everything it holds at its next sync, so \
            what the server lost comes back.
            """
    )

    @OptionGroup var data: DataOption

    @Option(name: .long, help: ArgumentHelp("The shop to restore.", valueName: "slug"))
    var tenant: String

    @Option(name: .customLong("from"), help: ArgumentHelp("The backup folder, or the shop's file in it.", valueName: "backup"))
    var source: String

    func run() async throws {
        let slug = try TenantSlug.parse(tenant)
        let file = try data.administration.restore(slug, from: source)
        Output.line("Restored shop \(slug) from \(file). Its laptops send what the server lost at their next sync.")
    }
}

/// `keep-server check [--tenant SLUG | --all]`.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Run SQLite's integrity check on the catalog and shops' stores.",
        discussion: """
            Prints one line per file, and for a damaged shop what to do; exits 65 when any file has a problem. \
            The server refuses a damaged shop's syncs (503 store_damaged) until its store is restored.
            """
    )

    @OptionGroup var data: DataOption
    @OptionGroup var selection: TenantSelection

    func run() async throws {
        let slugs = try selection.slugs(data.root)
        let results = data.administration.check(slugs)
        var damaged = 0
        for (index, (file, problems)) in results.enumerated() {
            if problems.isEmpty {
                Output.line("ok      \(file)")
                continue
            }
            damaged += 1
            Output.line("DAMAGED \(file): \(problems.prefix(5).joined(separator: "; "))")
            // The catalog comes first, then the shops in the order given.
            if index == 0 {
                Output.line("        restore the catalog from the newest backup's catalog.sqlite while the server is stopped")
            } else {
                let slug = slugs[index - 1]
                Output.line(
                    "        its syncs are refused until you run: keep-server restore --tenant \(slug) --from BACKUP (its laptops then send what was lost)"
                )
            }
        }
        Output.line("\(results.count) files checked, \(damaged) with problems")
        if damaged > 0 { throw ExitCode(65) }
    }
}
