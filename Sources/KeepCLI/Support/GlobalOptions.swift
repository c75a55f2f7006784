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

    /// Says what a command just wrote: with `--json` the record as its list shows it, else `line`. A record that
    /// cannot be read back (another program deleted it at once) gets the line.
    func printWritten(_ record: @autoclosure () throws -> JSONValue?, else line: @autoclosure () -> String) rethrows {
        if json, let shape = try record() {
            print(shape.rendered)
        } else {
            print(line())
        }
    }
}
