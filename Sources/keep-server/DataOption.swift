import ArgumentParser
import Foundation
import KeepTenancy

/// The data folder every subcommand works on, and who is working on it.
struct DataOption: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The server's data folder: the catalog, one folder per shop, the certificate (default: $KEEP_DATA, else Tenants).",
            valueName: "dir"
        )
    )
    var data: String?

    @Option(
        help: ArgumentHelp(
            "Who the shops' audit logs name for this command (default: the user who ran it; under sudo, $SUDO_USER).",
            valueName: "name"
        )
    )
    var actor: String?

    func validate() throws {
        guard let actor else { return }
        do {
            _ = try Administration.checkedActor(actor)
        } catch {
            throw ValidationError(error.description)
        }
    }

    var root: DataRoot {
        DataRoot(data ?? ProcessInfo.processInfo.environment["KEEP_DATA"].flatMap { $0.isEmpty ? nil : $0 } ?? "Tenants")
    }

    var administration: Administration { Administration(dataRoot: root, actor: actor) }
}

/// The one shop a subcommand works on, by its slug, in the data folder.
struct ShopArgument: ParsableArguments {
    @OptionGroup var data: DataOption

    @Argument(help: ArgumentHelp("The shop's slug.", valueName: "slug"))
    var slug: String

    /// The slug, refused with a message that says what a slug looks like.
    func tenant() throws(KeepServerError) -> TenantSlug { try TenantSlug.parse(slug) }

    var administration: Administration { data.administration }
}

/// The one existing device a subcommand works on: its shop's slug and its name, in the data folder.
struct DeviceArgument: ParsableArguments {
    @OptionGroup var data: DataOption

    @Argument(help: ArgumentHelp("The shop's slug.", valueName: "tenant"))
    var slug: String

    @Argument(help: ArgumentHelp("The device's name, as given to `device add`.", valueName: "name"))
    var name: String

    /// The shop's slug, refused with a message that says what a slug looks like.
    func tenant() throws(KeepServerError) -> TenantSlug { try TenantSlug.parse(slug) }

    var administration: Administration { data.administration }
}
