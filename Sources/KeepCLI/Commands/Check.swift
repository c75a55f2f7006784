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
        let records = try session.store.unreadableRecords()
        let printed = ListPrinter<UnreadableRecord>(
            session: session,
            columns: [.init("REF"), .init("KIND"), .init("FIELD"), .init("WHY", flexible: true)],
            empty: "Every record can be read.",
            json: { record in
                .object([
                    "id": .string(record.recordID.rawValue), "ref": .string(record.recordID.short), "kind": .string(record.kind.rawValue),
                    "field": .string(record.field), "reason": .string(record.reason),
                ])
            },
            row: { [$0.recordID.short, $0.kind.displayName, $0.field, $0.reason] }
        )
        .print(records, asJSON: output.json)
        if printed {
            session.console.note(
                "\(records.count == 1 ? "This record is" : "These \(records.count) records are") kept and synced as they came: upgrade keep, or write the field again on the laptop that wrote it."
            )
        }
    }
}
