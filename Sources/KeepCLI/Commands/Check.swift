import ArgumentParser
import Foundation
import KeepCore
import KeepStore

/// `keep check`: the records this laptop holds but cannot show, with the reason.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List records this keep cannot read, and why.",
        discussion: """
            A record another laptop (or another program) wrote without a field keep needs, or with a value of the wrong \
            kind, cannot be shown in lists or search. It is never dropped: it stays in this store exactly as it came and \
            syncs on to every laptop. Upgrading keep, or writing the field again on the laptop that wrote the record, \
            makes it readable. The fields of every record kind are listed in Sync/SCHEMA.md.
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: ListOptions

    func run() throws {
        let session = try Session.open(global)
        let records = try session.read { store throws(StoreError) in try store.unreadableRecords() }
        if output.json {
            print(
                JSONValue.array(
                    records.map { record in
                        .object([
                            "id": .string(record.recordID.rawValue), "ref": .string(record.recordID.short),
                            "kind": .string(record.kind.rawValue), "field": .string(record.field), "reason": .string(record.reason),
                        ])
                    }
                ).rendered
            )
            return
        }
        guard !records.isEmpty else {
            session.console.note("Every record can be read.")
            return
        }
        var table = TextTable(columns: [.init("REF"), .init("KIND"), .init("FIELD"), .init("WHY", flexible: true)])
        for record in records {
            table.append([record.recordID.short, record.kind.displayName, record.field, record.reason])
        }
        print(table.render(maxWidth: session.console.width, boldHeader: session.console.useColor), terminator: "")
        session.console.note(
            "\(records.count == 1 ? "This record is" : "These \(records.count) records are") kept and synced as they are: upgrade keep, or write the field again on the laptop that wrote it."
        )
    }
}
