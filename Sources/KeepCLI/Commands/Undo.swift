import ArgumentParser
import Foundation
import KeepCore
import KeepStore

/// `keep undo`: takes back this laptop's last change with a new write, so that the other laptops follow.
struct Undo: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Take back the last change made on this laptop: a note added, a customer edited, a promise kept.",
        discussion: """
            Each keep undo takes back the newest change made on this laptop that is not taken back yet, so running it \
            again goes further back, up to the last 100 changes. A record the change added is deleted, one it deleted \
            comes back, and each field it changed gets its earlier value back. Nothing is rewound: the earlier values are \
            written again as a new change, which syncs like any edit, so the other laptops follow at their next sync. \
            Taking back cannot itself be undone: make the change again.

            keep undo refuses when something the change wrote was changed since (on another laptop, or in a conflict) \
            and names the record and the field: change it by hand, or add --force to put the earlier values back \
            anyway. The shop's settings (keep config set) are taken back like any change; changes made on other laptops, \
            this laptop's own settings (agent, login) and syncs are not, and keep undo stops at a keep customer forget: \
            forgotten data is erased for good.
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: ListOptions

    @Flag(help: "List the changes keep undo takes back, newest first, and change nothing.")
    var list = false

    @Flag(help: "Show what keep undo would take back, and change nothing.")
    var dryRun = false

    @Flag(help: "Put the earlier values back even over what was changed since.")
    var force = false

    func validate() throws {
        if list && (dryRun || force) { throw ValidationError("--list only lists: leave out --dry-run and --force") }
        if output.json && !list { throw ValidationError("--json goes with --list: keep undo --list --json") }
    }

    func run() throws {
        let session = try Session.open(global)
        if list { return try printHistory(session) }
        if dryRun { return try preview(session) }
        let plan = try session.store.undo(agent: session.agent, now: session.now, force: force)
        print("Took back: \(plan.change.summary)\(Self.over(plan))")
        print("It syncs to the other laptops with your next keep sync.")
    }

    /// What `keep undo` would do, refused as it would be.
    private func preview(_ session: Session) throws {
        let plan = try session.store.undoPlan()
        if let refusal = plan.refusal, !force { throw refusal }
        print("Would take back: \(plan.change.summary)\(Self.over(plan))")
        for record in plan.records {
            let parts = Self.outcome(record, session: session)
            if !parts.isEmpty { print("  \(record.kind.displayName) \(record.id.short): " + parts.joined(separator: ", ")) }
        }
        for problem in plan.problems { print("  over: \(problem)") }
    }

    /// " (over 2 changes made since)", when forced.
    private static func over(_ plan: UndoPlan) -> String {
        plan.problems.isEmpty ? "" : " (over \(plan.problems.count) change\(plan.problems.count == 1 ? "" : "s") made since)"
    }

    private func printHistory(_ session: Session) throws {
        let changes = try session.store.undoHistory()
        let printed = ListPrinter<UndoableChange>(
            session: session,
            columns: [.init("WHEN"), .init("BY"), .init("CHANGE", flexible: true)],
            empty: "Nothing to undo: no change made on this laptop is left to take back.",
            json: { change in
                .object([
                    "at": .time(change.at), "by": .string(change.agent), "change": .string(change.summary),
                    "records": .integer(change.records), "fields": .integer(change.fields),
                    "canTakeBack": .bool(change.irreversible == nil),
                ])
            },
            row: { change in
                [
                    Format.dateTime(change.at, session.calendar, now: session.now), change.agent,
                    change.summary + (change.irreversible == nil ? "" : " (cannot be taken back)"),
                ]
            }
        )
        .print(changes, asJSON: output.json)
        if printed, changes.first?.irreversible == nil {
            session.console.note("keep undo takes back the first line; keep undo --dry-run shows how.")
        }
    }

    /// What taking back does to one record, in words: "deleted", "phone back to none".
    static func outcome(_ record: ChangedRecord, session: Session) -> [String] {
        var parts: [String] = []
        if record.deletedEarlier && !record.deletedAfter { parts.append("deleted") }
        if !record.deletedEarlier && record.deletedAfter { parts.append("brought back") }
        let fields = record.kind.fields
        let values = record.earlierValues
        // In the order the model lists its fields, then any it does not know.
        for field in fields.map(\.name) + values.keys.filter({ name in !fields.contains { $0.name == name } }).sorted() {
            guard let value = values[field] else { continue }
            parts.append("\(field) back to \(describe(value, kind: fields.first { $0.name == field }?.value, session: session))")
        }
        return parts
    }

    /// A field's value as a person reads it: a time as a date, a text quoted and cut to fit a line.
    private static func describe(_ value: FieldValue, kind: RecordField.ValueKind?, session: Session) -> String {
        switch (value, kind) {
        case (.null, _): "none"
        case (.integer(let milliseconds), .time): Format.dateTime(Date(epochMilliseconds: milliseconds), session.calendar, now: session.now)
        case (.text(let text), _): "\"" + TextWidth.truncate(Format.oneLine(text), to: 40) + "\""
        default: value.description
        }
    }
}
