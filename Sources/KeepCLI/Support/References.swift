import KeepCore
import KeepStore

/// Turns what a person typed (a REF or an ID prefix) into exactly one record, or explains why not.
extension Session {
    /// The one customer `ref` means: an id prefix or an unambiguous part of the name.
    func customer(_ ref: String) throws -> Customer {
        let candidates = try store.customers(matching: ref)
        switch candidates.count {
        case 1:
            return candidates[0]
        case 0:
            let near = (try? store.customerNames(near: ref)) ?? []
            throw KeepError(
                "no customer matches \"\(ref)\": "
                    + (near.isEmpty ? "" : "did you mean \(near.map { "\"\($0)\"" }.joined(separator: " or "))? ")
                    + "check the spelling, or find the customer with `keep customer list`"
            )
        default:
            throw KeepError(
                "\"\(ref)\" matches \(candidates.count == 20 ? "20 or more" : String(candidates.count)) customers: use more of the name, or the id",
                details: candidates.map { "  \($0.id.short)  \($0.name)" }
            )
        }
    }

    /// The one live record of `kind` whose id starts with `prefix`.
    func recordID(_ prefix: String, kind: RecordKind, listCommand: String) throws -> RecordID {
        guard prefix.count >= ReplicaStore.minimumIDPrefix, prefix.allSatisfy({ $0.isHexDigit && $0.isASCII }) else {
            throw KeepError(
                "\"\(prefix)\" is not a \(kind.displayName) id: give at least \(ReplicaStore.minimumIDPrefix) characters of the id shown by `\(listCommand)`",
                status: .usage
            )
        }
        let matches = try store.records(of: kind, idPrefix: prefix)
        switch matches.count {
        case 1:
            return matches[0]
        case 0:
            // `keep inquiry list` names what the person looks for better than the record's kind ("note").
            let wanted = listCommand.split(separator: " ").dropFirst().first.map(String.init) ?? kind.displayName
            for other in RecordKind.allCases where other != kind {
                if let found = try store.records(of: other, idPrefix: prefix).first {
                    throw KeepError(
                        "\(found.short) is a \(other.displayName), not \("aeiou".contains(wanted.prefix(1)) ? "an" : "a") \(wanted): use the `keep \(other.rawValue)` commands for it, "
                            + "or find the \(wanted) with `\(listCommand)`"
                    )
                }
            }
            throw KeepError("no \(wanted) has an id starting with \(prefix): find it with `\(listCommand)`")
        default:
            throw KeepError(
                "\(prefix) starts the ids of several \(kind.displayName)s: give more of the id",
                details: matches.map { "  \($0.rawValue)" }
            )
        }
    }
}
