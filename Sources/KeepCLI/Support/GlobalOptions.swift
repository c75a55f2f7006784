import ArgumentParser

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp("The store file to use (default: $KEEP_STORE, else ~/.local/share/keepword/keep.sqlite).", valueName: "path")
    )
    var store: String?

    @Option(name: .long, help: ArgumentHelp("Who is recording this (default: the store's agent, set by `keep init --agent`).", valueName: "name"))
    var agent: String?

    /// The options of a command that reads only and gives `--agent` another meaning (`keep report`).
    static func store(_ path: String?) -> GlobalOptions {
        var options = GlobalOptions()
        options.store = path
        options.agent = nil
        return options
    }
}

/// Options of every command that lists things.
struct ListOptions: ParsableArguments {
    @Flag(name: .long, help: "Print JSON with stable, documented fields (see docs/JSON.md) instead of a table.")
    var json = false
}
