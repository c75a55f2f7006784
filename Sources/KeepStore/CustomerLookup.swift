import Foundation
import GRDB
public import KeepCore

/// Finding the record a person means by a short REF: an id prefix (as with git) or part of a customer's name.
extension ReplicaStore {
    /// The fewest hex digits accepted as an id prefix, so that short words are read as names.
    public static let minimumIDPrefix = 4

    /// The customers a REF may mean: those whose id starts with it, else those whose name is it, else, for a phone
    /// number (6 digits or more), those with that number however it is written, else those whose name contains it
    /// (ignoring case and accents). More than one means the REF is ambiguous.
    public func customers(matching ref: String) throws(StoreError) -> [Customer] {
        let trimmed = ref.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return [] }
        return try read { db in
            if let prefix = Self.idPrefix(trimmed) {
                let byID = try Customer.filter(Customer.Columns.id.like(prefix + "%")).order(Customer.Columns.nameFolded).limit(20).fetchAll(db)
                if !byID.isEmpty { return byID }
            }
            let folded = SearchText.fold(trimmed)
            let exact = try Customer.filter(Customer.Columns.nameFolded == folded).order(Customer.Columns.id).limit(20).fetchAll(db)
            if !exact.isEmpty { return exact }
            if let number = PhoneNumber(typed: trimmed, minimumDigits: 6) {
                let byPhone = try Self.customers(withPhone: number, db)
                if !byPhone.isEmpty { return byPhone }
            }
            return try Customer.filter(sql: "instr(nameFolded, ?) > 0", arguments: [folded]).order(Customer.Columns.nameFolded).limit(20)
                .fetchAll(db)
        }
    }

    /// The customers whose phone is `number` (``PhoneNumber/isSame(as:in:)`` with the shop's country code), found
    /// through the search index's digit words and then compared.
    static func customers(withPhone number: PhoneNumber, _ db: Database) throws -> [Customer] {
        let countryCode = try StoreSettings.countryCode(db)
        let expression = number.searchQueries(in: countryCode).map { "\"\($0)\"" }.joined(separator: " OR ")
        let candidates = try Customer.fetchAll(
            db,
            sql: """
                SELECT customer.* FROM searchIndex JOIN record ON record.rowid = searchIndex.rowid JOIN customer ON customer.id = record.id
                WHERE searchIndex MATCH ? LIMIT 1000
                """,
            arguments: [expression]
        )
        let same = candidates.filter { customer in
            customer.phone.flatMap(PhoneNumber.init).map { number.isSame(as: $0, in: countryCode) } ?? false
        }
        return Array(same.sorted { (SearchText.fold($0.name), $0.id.rawValue) < (SearchText.fold($1.name), $1.id.rawValue) }.prefix(20))
    }

    /// Names near what was typed, for a REF that matched nobody: whole names, and names with a word near it.
    /// Not offered in books over 50,000 customers, where comparing with every name would keep the person waiting.
    public func customerNames(near ref: String) throws(StoreError) -> [String] {
        try read { db in
            guard try Customer.fetchCount(db) <= 50_000 else { return [] }
            let names = try Customer.select(Customer.Columns.name, as: String.self).fetchAll(db)
            let maxDistance = ref.count <= 4 ? 1 : 2
            let whole = Suggestion.closest(to: ref, among: names, maxDistance: maxDistance)
            if !whole.isEmpty { return whole }
            let byWord = names.filter { name in
                !Suggestion.closest(to: ref, among: name.split(separator: " ").map(String.init), maxDistance: maxDistance, limit: 1).isEmpty
            }
            return Array(byWord.sorted().prefix(3))
        }
    }

    /// The live records of `kind` whose id starts with `prefix`.
    public func records(of kind: RecordKind, idPrefix prefix: String) throws(StoreError) -> [RecordID] {
        guard let prefix = Self.idPrefix(prefix) else { return [] }
        return try read { db in
            try RecordID.fetchAll(
                db,
                sql: "SELECT id FROM \(Projection.table(for: kind)) WHERE id LIKE ? ORDER BY id LIMIT 20",
                arguments: [prefix + "%"]
            )
        }
    }

    /// A lowercase hex prefix long enough to be an id, or nil.
    static func idPrefix(_ text: String) -> String? {
        let lowered = text.lowercased()
        guard lowered.count >= minimumIDPrefix, lowered.count <= 32,
            lowered.allSatisfy({ $0.isHexDigit && $0.isASCII })
        else { return nil }
        return lowered
    }
}
