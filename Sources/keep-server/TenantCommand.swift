import ArgumentParser
import Foundation
import KeepStore
import KeepTenancy

/// `keep-server tenant ...`: the shops this server hosts.
struct TenantCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tenant",
        abstract: "Manage the shops this server hosts.",
        subcommands: [Create.self, List.self, Show.self, Suspend.self, Resume.self, Limits.self, Export.self, Delete.self]
    )

    /// `keep-server tenant create SLUG [--name N] [--json]`.
    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a shop, with its own customer book on the server.",
            discussion: "SLUG names the shop on the server and its folder under --data: 2 to 63 lowercase letters, digits and dashes."
        )

        @OptionGroup var data: DataOption

        @Argument(help: ArgumentHelp("The shop's slug, e.g. corner-shop.", valueName: "slug"))
        var slug: String

        @Option(name: .long, help: ArgumentHelp("The shop's name as people say it (default: the slug).", valueName: "name"))
        var name: String?

        @Flag(name: .long, help: "Print one JSON object: slug, name, serverReplica, createdAt.")
        var json = false

        func run() async throws {
            let tenant = try data.administration.createTenant(try TenantSlug.parse(slug), name: name)
            if json {
                try Output.json(TenantJSON(tenant))
            } else {
                Output.line("Created shop \(tenant.slug) (\(tenant.name)); add a laptop with `keep-server device add \(tenant.slug) NAME`.")
            }
        }
    }
}

extension TenantCommand {
    /// `keep-server tenant list [--json]`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the shops, with their devices, store size and schema version.")

        @OptionGroup var data: DataOption

        @Flag(name: .long, help: "Print one JSON object: {\"tenants\": [...]}.")
        var json = false

        func run() async throws {
            let summaries = try data.administration.tenants()
            if json {
                try Output.json(["tenants": summaries.map(TenantSummaryJSON.init)])
                return
            }
            guard !summaries.isEmpty else {
                Output.line("No shops yet: create one with `keep-server tenant create SLUG`.")
                return
            }
            Output.line(Self.row("SHOP", "STATUS", "DEVICES", "SIZE", "SCHEMA", "NAME"))
            for summary in summaries {
                Output.line(
                    Self.row(
                        summary.tenant.slug.rawValue,
                        summary.tenant.status.rawValue,
                        String(summary.activeDevices),
                        ByteCountFormatter.string(fromByteCount: summary.storeBytes, countStyle: .file),
                        summary.schemaVersion.map { "v\($0)" } ?? "unreadable",
                        summary.tenant.name
                    )
                )
            }
        }

        private static func row(_ slug: String, _ status: String, _ devices: String, _ size: String, _ schema: String, _ name: String) -> String {
            slug.padding(toLength: max(slug.count, 24), withPad: " ", startingAt: 0) + "  "
                + status.padding(toLength: 9, withPad: " ", startingAt: 0) + "  "
                + devices.padding(toLength: 7, withPad: " ", startingAt: 0) + "  "
                + size.padding(toLength: 10, withPad: " ", startingAt: 0) + "  "
                + schema.padding(toLength: 10, withPad: " ", startingAt: 0) + "  " + name
        }
    }

    /// `keep-server tenant show SLUG [--json]`.
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one shop: status, devices, store, and its recent audit log.")

        @OptionGroup var shop: ShopArgument

        @Flag(name: .long, help: "Print one JSON object.")
        var json = false

        func run() async throws {
            let (summary, devices, audit) = try shop.administration.tenant(try shop.tenant())
            if json {
                try Output.json(TenantDetailJSON(summary: TenantSummaryJSON(summary), devices: devices.map(DeviceJSON.init), audit: audit))
                return
            }
            let tenant = summary.tenant
            Output.line("\(tenant.slug) (\(tenant.name)): \(tenant.status.rawValue)")
            Output.line(
                "  store:    \(shop.data.root.storePath(of: tenant.slug)), \(ByteCountFormatter.string(fromByteCount: summary.storeBytes, countStyle: .file)), "
                    + (summary.schemaVersion.map { "schema v\($0)" } ?? "unreadable: \(summary.storeProblem ?? "")")
            )
            Output.line("  created:  \(tenant.createdAt.formatted(.iso8601))")
            Output.line("  exported: \(tenant.exportedAt?.formatted(.iso8601) ?? "never")")
            let limits = tenant.limits
            Output.line(
                "  limits:   \(limits.maxDevices) devices, \(limits.maxStoreBytes >> 20) MiB store, \(limits.requestsPerMinute) requests a minute per device"
            )
            Output.line("  devices:  \(summary.activeDevices) active, \(summary.revokedDevices) revoked")
            for device in devices {
                Output.line("    \(device.name): \(device.state)")
            }
            if !audit.isEmpty {
                Output.line("  audit log (latest):")
                for entry in audit {
                    Output.line(
                        "    \(entry.at.formatted(.iso8601))  \(entry.actor): \(entry.action)\(entry.detail.isEmpty ? "" : " \(entry.detail)")"
                    )
                }
            }
        }
    }

    /// `keep-server tenant limits SLUG [--max-devices N] [--max-store-mb N] [--requests-per-minute N] [--reset]`.
    struct Limits: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set what one shop may use of the server; without options, show its limits.",
            discussion: """
                A device over its shop's requests per minute gets 429, a push to a store over its size gets 413, and \
                a device beyond the shop's maximum is refused by `device add` and enrollment; each message names the \
                limit. Takes effect at the next request, while the server runs.
                """
        )

        @OptionGroup var shop: ShopArgument

        @Option(name: .long, help: ArgumentHelp("Working devices at once.", valueName: "n"))
        var maxDevices: Int?

        @Option(name: .customLong("max-store-mb"), help: ArgumentHelp("The shop's store on the server, in MiB.", valueName: "n"))
        var maxStoreMiB: Int?

        @Option(name: .long, help: ArgumentHelp("Requests each device may make per minute.", valueName: "n"))
        var requestsPerMinute: Int?

        @Flag(name: .long, help: "Return every limit to the server's default first.")
        var reset = false

        @Flag(name: .long, help: "Print the limits as one JSON object.")
        var json = false

        func run() async throws {
            let administration = shop.administration
            let slug = try shop.tenant()
            let changing = reset || maxDevices != nil || maxStoreMiB != nil || requestsPerMinute != nil
            let storeBytes = try maxStoreMiB.map { megabytes in
                guard megabytes > 0, megabytes <= Int(Int64(1 << 40) >> 20) else {
                    throw KeepServerError.usage("--max-store-mb must be between 1 and 1048576")
                }
                return Int64(megabytes) << 20
            }
            let tenant =
                changing
                ? try administration.setLimits(
                    of: slug,
                    reset: reset,
                    maxDevices: maxDevices,
                    maxStoreBytes: storeBytes,
                    requestsPerMinute: requestsPerMinute
                )
                : try administration.existingTenant(slug)
            let limits = tenant.limits
            if json {
                try Output.json(limits)
                return
            }
            Output.line(
                "\(slug): \(limits.maxDevices) devices, \(limits.maxStoreBytes >> 20) MiB store, \(limits.requestsPerMinute) requests a minute per device"
            )
        }
    }

    /// `keep-server tenant suspend SLUG`.
    struct Suspend: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Stop a shop's laptops from syncing (they are told the shop is suspended); its data stays as it is."
        )

        @OptionGroup var shop: ShopArgument

        func run() async throws {
            let tenant = try shop.administration.suspend(try shop.tenant())
            Output.line("Suspended shop \(tenant.slug); `keep-server tenant resume \(tenant.slug)` lets it sync again.")
        }
    }

    /// `keep-server tenant resume SLUG`.
    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Let a suspended shop's laptops sync again.")

        @OptionGroup var shop: ShopArgument

        func run() async throws {
            let tenant = try shop.administration.resume(try shop.tenant())
            Output.line("Resumed shop \(tenant.slug); its laptops sync again.")
        }
    }

    /// `keep-server tenant export SLUG --to DIR [--json]`.
    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a consistent copy of one shop's data: its SQLite store and a JSON dump.",
            discussion: "Safe while the server runs: the copy is taken with SQLite's online backup."
        )

        @OptionGroup var shop: ShopArgument

        @Option(name: .customLong("to"), help: ArgumentHelp("The folder to write into (created if missing).", valueName: "dir"))
        var folder: String

        @Flag(name: .long, help: "Print one JSON object: store, json.")
        var json = false

        func run() async throws {
            let export = try shop.administration.export(try shop.tenant(), to: folder)
            if json {
                try Output.json(["store": export.storeCopy, "json": export.json])
            } else {
                Output.line("Exported shop \(shop.slug):")
                Output.line("  \(export.storeCopy)")
                Output.line("  \(export.json)")
            }
        }
    }

    /// `keep-server tenant delete SLUG [--force]`.
    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete a shop: its tokens stop working and its folder is removed.",
            discussion: "Refused for a shop never exported (`tenant export`) unless --force is given."
        )

        @OptionGroup var shop: ShopArgument

        @Flag(name: .long, help: "Delete even if the shop was never exported.")
        var force = false

        func run() async throws {
            let tenant = try shop.tenant()
            try shop.administration.delete(tenant, force: force)
            Output.line("Deleted shop \(tenant): nothing of it is left under \(shop.data.root.path).")
        }
    }
}

/// A shop in `tenant list --json`.
struct TenantSummaryJSON: Encodable {
    let tenant: TenantJSON
    let activeDevices: Int
    let revokedDevices: Int
    let storeBytes: Int64
    let schemaVersion: Int?
    let storeProblem: String?

    init(_ summary: TenantSummary) {
        tenant = TenantJSON(summary.tenant)
        activeDevices = summary.activeDevices
        revokedDevices = summary.revokedDevices
        storeBytes = summary.storeBytes
        schemaVersion = summary.schemaVersion
        storeProblem = summary.storeProblem
    }
}

/// `tenant show --json`.
struct TenantDetailJSON: Encodable {
    let summary: TenantSummaryJSON
    let devices: [DeviceJSON]
    let audit: [AuditEntry]
}
