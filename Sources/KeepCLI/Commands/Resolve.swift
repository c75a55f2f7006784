import ArgumentParser
import Foundation
import KeepCore
import KeepStore

/// `keep resolve`: settles a conflict with a write that has seen every value, which settles it on every laptop.
struct Resolve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Settle a conflict: keep your value, theirs, or write a new one.",
        discussion: """
            --take mine keeps the value written on this laptop and --take theirs the one from elsewhere (when neither \
            was written here, mine is the value shown now). For a record deleted on one laptop and edited on another, \
            mine or theirs picks between keeping and deleting it. --value writes a new value instead, checked as the \
            field's own command checks it (a phone number, an e-mail address). The settlement syncs like any other edit.
            """
    )

    /// Which of the values in conflict to keep.
    enum Side: String, CaseIterable, ExpressibleByArgument {
        case mine
        case theirs
    }

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The conflict, as `keep conflicts` shows it (e.g. 3f2a9c1d/phone); the record id alone when it has one conflict.")
    var id: String

    @Option(help: "Keep your value (mine) or theirs.")
    var take: Side?

    @Option(help: ArgumentHelp("Write this new value instead of either.", valueName: "text"))
    var value: String?

    func validate() throws {
        switch (take, value) {
        case (nil, nil): throw ValidationError("say which value to keep: --take mine, --take theirs, or --value TEXT for a new one")
        case (.some, .some): throw ValidationError("give either --take or --value, not both")
        default: break
        }
    }

    func run() throws {
        let session = try Session.open(global)
        let conflicts = try session.store.conflicts()
        let conflict = try Self.find(id, in: conflicts)
        let mine = session.store.replicaID
        try session.write { writer in
            writer.summary = "settled the conflict \(conflict.record.short)/\(Self.fieldName(conflict))"
            switch conflict.subject {
            case .deletion(let tombstones):
                let deletedHere = tombstones.contains { $0.dot.replica == mine }
                switch take {
                case .mine:
                    deletedHere
                        ? try writer.delete(conflict.record, kind: conflict.kind) : try writer.update(conflict.record, kind: conflict.kind, [:])
                case .theirs:
                    deletedHere
                        ? try writer.update(conflict.record, kind: conflict.kind, [:]) : try writer.delete(conflict.record, kind: conflict.kind)
                case nil: throw KeepError("a deleted-and-edited record is settled with --take mine or --take theirs", status: .usage)
                }
            case .field(let field):
                let settled =
                    try take.map { try Self.value(taking: $0, conflict: conflict, mine: mine) }
                    ?? (try Self.checked(value ?? "", field: field, kind: conflict.kind))
                try writer.update(conflict.record, kind: conflict.kind, [field: settled])
            }
        }
        print("Settled \(conflict.record.short)/\(Self.fieldName(conflict)); it will sync with your next keep sync")
    }

    static func fieldName(_ conflict: Conflict) -> String {
        if case .field(let field) = conflict.subject { return field }
        return Conflict.deletionName
    }

    /// The conflict `text` names: a full or shortened key, or a record id with exactly one conflict.
    static func find(_ text: String, in conflicts: [Conflict]) throws -> Conflict {
        let parts = text.lowercased().split(separator: "/", maxSplits: 1).map(String.init)
        guard let prefix = parts.first, prefix.count >= 4 else {
            throw KeepError("\"\(text)\" is not a conflict: use the CONFLICT column of `keep conflicts`, e.g. 3f2a9c1d/phone", status: .usage)
        }
        let matches = conflicts.filter { conflict in
            conflict.record.rawValue.hasPrefix(prefix) && (parts.count == 1 || fieldName(conflict).lowercased() == parts[1])
        }
        switch matches.count {
        case 1: return matches[0]
        case 0: throw KeepError("no conflict \(text): list them with `keep conflicts`")
        default:
            throw KeepError(
                "\(text) names \(matches.count) conflicts: add the field, e.g. \(matches[0].record.short)/\(fieldName(matches[0]))",
                details: matches.map { "  \($0.record.short)/\(fieldName($0))" }
            )
        }
    }

    static func value(taking side: Side, conflict: Conflict, mine: ReplicaID) throws -> FieldValue {
        guard let winner = conflict.winner else { throw KeepError("the conflict has no values to choose from") }
        let entries = [winner] + conflict.losers
        let written = entries.first { $0.dot.replica == mine }
        switch side {
        case .mine:
            return (written ?? winner).value
        case .theirs:
            let others = entries.filter { $0 != (written ?? winner) }
            guard let theirs = others.first else { throw KeepError("there is no other value to take", status: .usage) }
            return theirs.value
        }
    }

    /// A new value for `field`, checked as the command that writes that field checks it. Fields that hold times,
    /// numbers, states or references are settled by taking a side.
    static func checked(_ raw: String, field: String, kind: RecordKind) throws -> FieldValue {
        switch (kind, field) {
        case (.customer, Customer.Field.name): return .text(try Validate.name(raw))
        case (.customer, Customer.Field.phone): return .text(try Validate.phone(raw))
        case (.customer, Customer.Field.email): return .text(try Validate.email(raw))
        case (.note, Note.Field.text), (.note, Note.Field.answer), (.promise, Promise.Field.text), (.promise, Promise.Field.cancelReason),
            (.followUp, FollowUp.Field.text), (.purchase, Purchase.Field.item), (.survey, Survey.Field.text):
            return .text(try Validate.text(raw, what: "value"))
        case (.shop, _):
            // A shop setting, as `keep config set` reads it: "2d" for the reply window, "off" to clear a rule.
            guard let key = Config.Key.allCases.first(where: { $0.setting.shopField == field }) else { fallthrough }
            return key.setting.shopValue(try Config.Change.parse(key, raw))
        default:
            throw KeepError("\(field) is not a text you type: settle it with --take mine or --take theirs", status: .usage)
        }
    }
}
