import ArgumentParser
import Foundation
import KeepCore
import KeepStore

/// `keep conflicts`: what two people changed at once, kept for a person to settle.
struct Conflicts: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List conflicts: values written at once on two laptops, or a record deleted on one and edited on another.",
        discussion: "Nothing is lost in a conflict: the value shown is one of them, the others are kept here until `keep resolve` settles it."
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var output: ListOptions

    func run() throws {
        let session = try Session.open(global)
        let describer = try ConflictDescriber(session: session)
        if output.json {
            print(JSONValue.array(describer.conflicts.map(describer.json)).rendered)
            return
        }
        guard !describer.conflicts.isEmpty else {
            print("No conflicts.")
            return
        }
        // Each value whole, with who wrote it and when: a table would cut them.
        let width = min(session.console.width ?? 100, 100)
        print(describer.conflicts.map { describer.block($0, width: width) }.joined(separator: "\n"))
        session.console.note("Settle one with: keep resolve CONFLICT --take mine|theirs (or --value TEXT)")
    }
}

/// Words for conflicts: who wrote what, when, on which record.
struct ConflictDescriber {
    let session: Session
    let conflicts: [Conflict]
    /// The conflicted records and the customers they are about, read with the conflicts in one snapshot.
    private let states: [RecordID: RecordState]
    private let customers: [RecordID: Customer]

    init(session: Session) throws {
        self.session = session
        (conflicts, states, customers) = try session.store.snapshot { store in
            let conflicts = try store.conflicts()
            var states: [RecordID: RecordState] = [:]
            for id in Set(conflicts.map(\.record)) { states[id] = try store.recordState(id) }
            let customerIDs = conflicts.compactMap { conflict in
                conflict.kind == .customer ? conflict.record : states[conflict.record]?.value("customer")?.text.flatMap(RecordID.init)
            }
            return (conflicts, states, try store.customers(ids: customerIDs))
        }
    }

    func ref(_ conflict: Conflict) -> String { "\(conflict.record.short)/\(Resolve.fieldName(conflict))" }

    func record(_ conflict: Conflict) -> String {
        let state = states[conflict.record]
        let customerID = conflict.kind == .customer ? conflict.record : state?.value("customer")?.text.flatMap(RecordID.init)
        let name = customerID.flatMap { customers[$0]?.name } ?? state?.value(Customer.Field.name)?.text ?? ""
        return "\(conflict.kind.displayName) \(name)".trimmingCharacters(in: .whitespaces)
    }

    /// A conflict as `keep conflicts` shows it: its ref and record, then each value wrapped to `width`, with who
    /// wrote it and when beneath.
    func block(_ conflict: Conflict, width: Int) -> String {
        var lines = [session.console.style(ref(conflict), .cyan) + "  " + record(conflict)]
        func value(_ label: String, _ text: String, _ who: String) {
            let wrapped = TextWrap.lines(text, width: width - 9)
            for (index, line) in wrapped.enumerated() { lines.append((index == 0 ? "  \(label)" : "         ") + line) }
            lines.append("         " + session.console.style(who, .dim))
        }
        func written(by name: String, at milliseconds: Int64) -> String {
            "written by \(name), \(Format.dateTime(Date(epochMilliseconds: milliseconds), session.calendar, now: session.now))"
        }
        switch conflict.subject {
        case .field:
            if let winner = conflict.winner { value("shown  ", display(winner.value, whole: true), written(by: winner.by, at: winner.at)) }
            for loser in conflict.losers { value("also   ", display(loser.value, whole: true), written(by: loser.by, at: loser.at)) }
        case .deletion(let tombstones):
            value("shown  ", "kept, because it was edited", "")
            for tombstone in tombstones { value("also   ", "deleted", written(by: tombstone.by, at: tombstone.at)) }
        }
        return lines.filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.joined(separator: "\n")
    }

    func entry(_ entry: FieldEntry) -> String {
        "\(display(entry.value)) (\(entry.by), \(Format.dateTime(Date(epochMilliseconds: entry.at), session.calendar, now: session.now)))"
    }

    func others(_ conflict: Conflict) -> String {
        switch conflict.subject {
        case .field: conflict.losers.map(entry).joined(separator: "; ")
        case .deletion(let tombstones):
            tombstones.map { "deleted (\($0.by), \(Format.dateTime(Date(epochMilliseconds: $0.at), session.calendar, now: session.now)))" }
                .joined(separator: "; ")
        }
    }

    /// A value for a person; `whole` keeps a text's line breaks, for a view that wraps it.
    func display(_ value: FieldValue, whole: Bool = false) -> String {
        switch value {
        case .null: "(empty)"
        case .integer(let milliseconds) where milliseconds > 946_684_800_000:
            Format.dateTime(Date(epochMilliseconds: milliseconds), session.calendar, now: session.now)
        case .text(let text) where whole: text
        default: Format.oneLine(value.description)
        }
    }

    func json(_ conflict: Conflict) -> JSONValue {
        func entryJSON(_ entry: FieldEntry) -> JSONValue {
            .object([
                "value": jsonValue(entry.value), "by": .string(entry.by), "at": .time(Date(epochMilliseconds: entry.at)),
                "replica": .string(entry.dot.replica.rawValue),
            ])
        }
        var object: [String: JSONValue] = [
            "id": .string(conflict.key), "ref": .string(ref(conflict)), "record": .string(conflict.record.rawValue),
            "kind": .string(conflict.kind.rawValue),
        ]
        switch conflict.subject {
        case .field(let field):
            object["field"] = .string(field)
            object["shown"] = conflict.winner.map(entryJSON) ?? .null
            object["others"] = .array(conflict.losers.map(entryJSON))
        case .deletion(let tombstones):
            object["field"] = .string(Conflict.deletionName)
            object["shown"] = .null
            object["others"] = .array(
                tombstones.map {
                    .object([
                        "value": .string("deleted"), "by": .string($0.by), "at": .time(Date(epochMilliseconds: $0.at)),
                        "replica": .string($0.dot.replica.rawValue),
                    ])
                }
            )
        }
        return .object(object)
    }

    private func jsonValue(_ value: FieldValue) -> JSONValue {
        switch value {
        case .null: .null
        case .bool(let flag): .bool(flag)
        case .integer(let number): .integer(Int(number))
        case .text(let text): .string(text)
        }
    }
}
