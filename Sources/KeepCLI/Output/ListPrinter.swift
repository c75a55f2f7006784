/// Prints a list as every `keep … list` does: the JSON array with `--json`, else a table fitted to the terminal, or
/// a note on standard error when there is nothing to list.
struct ListPrinter<Item> {
    let session: Session
    let columns: [TextTable.Column]
    /// The note for an empty list, such as "No purchases recorded."
    let empty: String
    let json: (Item) -> JSONValue
    let row: (Item) -> [String]

    func print(_ items: some Collection<Item>, asJSON: Bool) {
        if asJSON {
            Swift.print(JSONValue.array(items.map(json)).rendered)
            return
        }
        guard !items.isEmpty else {
            session.console.note(empty)
            return
        }
        var table = TextTable(columns: columns)
        for item in items { table.append(row(item)) }
        Swift.print(table.render(maxWidth: session.console.width, boldHeader: session.console.useColor), terminator: "")
    }
}
