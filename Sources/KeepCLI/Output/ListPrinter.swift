/// Prints a list as every `keep … list` does: the JSON array with `--json`, else a table fitted to the terminal, or
/// a note on standard error when there is nothing to list.
struct ListPrinter<Item> {
    let session: Session
    /// The note for an empty list, such as "No purchases recorded."
    let empty: String
    let json: (Item) -> JSONValue
    /// The rendered table of a list that is not empty.
    let table: ([Item]) -> String

    init(session: Session, empty: String, json: @escaping (Item) -> JSONValue, table: @escaping ([Item]) -> String) {
        self.session = session
        self.empty = empty
        self.json = json
        self.table = table
    }

    /// A list shown as a table of these columns, one row an item.
    init(
        session: Session,
        columns: [TextTable.Column],
        empty: String,
        json: @escaping (Item) -> JSONValue,
        row: @escaping (Item) -> [String]
    ) {
        self.init(session: session, empty: empty, json: json) { items in
            var table = TextTable(columns: columns)
            for item in items { table.append(row(item)) }
            return table.render(maxWidth: session.console.width, boldHeader: session.console.useColor)
        }
    }

    /// Prints the list; returns whether a table was printed, for a hint that follows it.
    @discardableResult
    func print(_ items: some Collection<Item>, asJSON: Bool) -> Bool {
        if asJSON {
            Swift.print(JSONValue.array(items.map(json)).rendered)
            return false
        }
        guard !items.isEmpty else {
            session.console.note(empty)
            return false
        }
        Swift.print(table(Array(items)), terminator: "")
        return true
    }
}
