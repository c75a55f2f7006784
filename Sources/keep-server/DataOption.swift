import ArgumentParser
import KeepTenancy

/// The data folder every subcommand works on.
struct DataOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The server's data folder: the catalog, one folder per shop, the certificate.", valueName: "dir"))
    var data = "Tenants"

    var root: DataRoot { DataRoot(data) }
}

/// The one shop a subcommand works on, by its slug, in the data folder.
struct ShopArgument: ParsableArguments {
    @OptionGroup var data: DataOption

    @Argument(help: ArgumentHelp("The shop's slug.", valueName: "slug"))
    var slug: String

    /// The slug, refused with a message that says what a slug looks like.
    func tenant() throws(KeepServerError) -> TenantSlug { try TenantSlug.parse(slug) }

    var administration: Administration { Administration(dataRoot: data.root) }
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

    var administration: Administration { Administration(dataRoot: data.root) }
}
