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
        try Self.slugs(tenant: tenant, all: all, root)
    }

    /// The shop named by `tenant`, which must exist, or every shop.
    static func slugs(tenant: String?, all: Bool, _ root: DataRoot) throws -> [TenantSlug] {
        let administration = Administration(dataRoot: root)
        if let tenant {
            let slug = try TenantSlug.parse(tenant)
            return [try administration.existingTenant(slug).slug]
        }
        return try administration.tenants().map(\.tenant.slug)
    }
}

/// `keep-server backup`: make a backup (the default), or list them.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Back up the server (keep-server backup --to DIR --all), or list the backups (keep-server backup list --in DIR).",
        subcommands: [BackupCreate.self, BackupList.self],
        defaultSubcommand: BackupCreate.self
    )
}

/// `keep-server backup [create] --to DIR [--tenant SLUG | --all]`.
struct BackupCreate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Copy the catalog, the TLS identity and shops' stores into DIR/<time>/, consistent while the server syncs.",
        discussion: """
            Uses SQLite's online backup and checks every copy. Exits 74 when any shop could not be copied (the others \
            are). `keep-server backup list --in DIR` shows what exists; `keep-server restore --all --latest --from DIR` \
            rebuilds a server that was lost.
            """
    )

    @OptionGroup var data: DataOption
    @OptionGroup var selection: TenantSelection

    @Option(name: .customLong("to"), help: ArgumentHelp("The folder to back up into.", valueName: "dir"))
    var folder: String

    @Flag(name: .long, help: "Print one JSON object: folder, copies, failures.")
    var json = false

    func run() async throws {
        let result = try data.administration.backup(try selection.slugs(data.root), to: folder)
        if json {
            try Output.json(
                BackupResultJSON(
                    folder: result.folder,
                    copies: result.copies,
                    failures: result.failures.map { ["shop": $0.0.rawValue, "problem": $0.1] }
                )
            )
            if !result.failures.isEmpty { throw ExitCode(74) }
            return
        }
        // A server that never served has no TLS identity yet: say only what the backup holds.
        let tls = FileManager.default.fileExists(atPath: result.folder + "/tls") ? " and the TLS identity" : ""
        Output.line("Backed up \(result.copies.count - 1) shops, the catalog\(tls) into \(result.folder)")
        for (tenant, problem) in result.failures {
            Output.error("shop \(tenant) was not backed up: \(problem)")
        }
        if !result.failures.isEmpty { throw ExitCode(74) }
    }
}

/// `keep-server restore (--tenant SLUG | --catalog | --all) --from BACKUP [--latest]`.
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Put a shop's store back as a backup holds it, while the server runs; or rebuild a lost server.",
        discussion: """
            BACKUP is a folder made by `keep-server backup` or the shop's .sqlite file in it; with --latest, the folder \
            holding those backups, of which the newest holding what is restored is used. The backup is checked first \
            and the shop is left as it was if it is damaged or belongs to another shop. Devices are kept as they are \
            now. Each laptop that synced since the backup sends everything it holds at its next sync, so what the \
            server lost comes back. --catalog puts back the catalog and the TLS identity of a server that lost them, \
            never over a live catalog; --all does that when the catalog is gone, then restores every shop.
            """
    )

    @OptionGroup var data: DataOption

    @Option(name: .long, help: ArgumentHelp("The shop to restore.", valueName: "slug"))
    var tenant: String?

    @Flag(name: .long, help: "Restore the catalog and the TLS identity of a server that lost them.")
    var catalog = false

    @Flag(name: .long, help: "Rebuild the whole server: the catalog when it is gone, then every shop.")
    var all = false

    @Option(name: .customLong("from"), help: ArgumentHelp("The backup folder, or the shop's file in it.", valueName: "backup"))
    var source: String

    @Flag(name: .long, help: "BACKUP is the folder of backups: take the newest that holds what is restored.")
    var latest = false

    func validate() throws {
        guard [tenant != nil, catalog, all].filter({ $0 }).count == 1 else {
            throw ValidationError("say what to restore: --tenant SLUG, --catalog, or --all")
        }
    }

    func run() async throws {
        let administration = data.administration
        if let tenant {
            let slug = try TenantSlug.parse(tenant)
            let from = latest ? try ServerBackup.latest(in: source, holding: "\(slug).sqlite").path : source
            let file = try administration.restore(slug, from: from)
            Output.line("Restored shop \(slug) from \(file). Its laptops send what the server lost at their next sync.")
            return
        }
        if catalog || !FileManager.default.fileExists(atPath: data.root.catalogPath) {
            let from = latest ? try ServerBackup.latest(in: source, holding: "catalog.sqlite").path : source
            try administration.restoreCatalog(from: from)
            Output.line("Restored the catalog and the TLS identity from \(from).")
        }
        guard all else { return }
        var failed = 0
        for summary in try administration.tenants() {
            let slug = summary.tenant.slug
            do {
                let from = latest ? try ServerBackup.latest(in: source, holding: "\(slug).sqlite").path : source
                let file = try administration.restore(slug, from: from)
                Output.line("Restored shop \(slug) from \(file).")
            } catch {
                failed += 1
                Output.error("shop \(slug) was not restored: \(error)")
            }
        }
        if failed > 0 { throw ExitCode(74) }
        Output.line("Every shop's laptops send what the server lost at their next sync.")
    }
}

/// `keep-server backup list --in DIR`.
struct BackupList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the backups in a folder: when each was made, its shops, the catalog and TLS identity, damaged copies."
    )

    @OptionGroup var data: DataOption

    @Option(name: .customLong("in"), help: ArgumentHelp("The folder given to `keep-server backup --to`.", valueName: "dir"))
    var folder: String

    @Flag(name: .long, help: "Print one JSON array.")
    var json = false

    func run() async throws {
        let backups = try ServerBackup.all(in: folder)
        if json {
            try Output.json(backups.map(BackupJSON.init))
            return
        }
        guard !backups.isEmpty else {
            Output.line("No backups in \(folder): make one with `keep-server backup --to \(folder) --all`.")
            return
        }
        for backup in backups {
            var line = "\(backup.name)  \(backup.shops.count == 1 ? "1 shop" : "\(backup.shops.count) shops"), "
            line += backup.hasCatalog ? "catalog" : "no catalog"
            line += backup.hasTLSIdentity ? ", TLS identity" : ""
            line += ", \(ByteCountFormatter.string(fromByteCount: backup.bytes, countStyle: .file))"
            if !backup.damaged.isEmpty { line += "; DAMAGED: \(backup.damaged.joined(separator: ", "))" }
            Output.line(line)
        }
    }
}

/// `backup --json`.
struct BackupResultJSON: Encodable {
    let folder: String
    let copies: [String]
    let failures: [[String: String]]
}

/// `backup list --json`.
struct BackupJSON: Encodable {
    let name: String
    let path: String
    let shops: [String]
    let catalog: Bool
    let tlsIdentity: Bool
    let damaged: [String]
    let bytes: Int64

    init(_ backup: ServerBackup) {
        (name, path, shops, catalog, tlsIdentity, damaged, bytes) = (
            backup.name, backup.path, backup.shops, backup.hasCatalog, backup.hasTLSIdentity, backup.damaged, backup.bytes
        )
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

    @Flag(name: .long, help: "Print one JSON array: file, ok, problems, and for a damaged file what to do.")
    var json = false

    func run() async throws {
        let slugs = try selection.slugs(data.root)
        let results = data.administration.check(slugs)
        if json {
            try Output.json(
                results.enumerated().map { index, result in
                    CheckJSON(
                        file: result.file,
                        ok: result.problems.isEmpty,
                        problems: result.problems,
                        todo: result.problems.isEmpty ? nil : index == 0 ? Self.catalogAdvice : Self.advice(for: slugs[index - 1])
                    )
                }
            )
            if results.contains(where: { !$0.problems.isEmpty }) { throw ExitCode(65) }
            return
        }
        var damaged = 0
        for (index, (file, problems)) in results.enumerated() {
            if problems.isEmpty {
                Output.line("ok      \(file)")
                continue
            }
            damaged += 1
            Output.line("DAMAGED \(file): \(problems.prefix(5).joined(separator: "; "))")
            // The catalog comes first, then the shops in the order given.
            Output.line("        " + (index == 0 ? Self.catalogAdvice : Self.advice(for: slugs[index - 1])))
        }
        Output.line("\(results.count) files checked, \(damaged) with problems")
        if damaged > 0 { throw ExitCode(65) }
    }

    static let catalogAdvice =
        "stop the server, move the damaged catalog away, and run keep-server restore --catalog --latest --from BACKUPS"

    static func advice(for slug: TenantSlug) -> String {
        "its syncs are refused until you run: keep-server restore --tenant \(slug) --latest --from BACKUPS (its laptops then send what was lost)"
    }
}

/// `check --json`.
struct CheckJSON: Encodable {
    let file: String
    let ok: Bool
    let problems: [String]
    let todo: String?
}
