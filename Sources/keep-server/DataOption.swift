import ArgumentParser
import KeepTenancy

/// The data folder every subcommand works on.
struct DataOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The server's data folder: the catalog, one folder per shop, the certificate.", valueName: "dir"))
    var data = "Tenants"

    var root: DataRoot { DataRoot(data) }
}
