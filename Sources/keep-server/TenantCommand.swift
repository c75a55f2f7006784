import ArgumentParser
import Foundation
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
            let tenant = try Administration(dataRoot: data.root).createTenant(try TenantSlug.parse(slug), name: name)
            if json {
                try Output.json(TenantJSON(tenant))
            } else {
                Output.line("Created shop \(tenant.slug) (\(tenant.name)); add a laptop with `keep-server device add \(tenant.slug) NAME`.")
            }
        }
    }
}
