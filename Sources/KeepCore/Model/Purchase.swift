public import Foundation

/// Something a customer bought: what, for how much, and when. A big enough purchase gets a follow-up by itself.
public struct Purchase: RecordModel, Hashable, Codable {
    public static let kind = RecordKind.purchase

    public enum Field {
        public static let customer = "customer"
        public static let item = "item"
        /// In hundredths of the shop's currency (cents), so that sums are exact.
        public static let amount = "amount"
        public static let at = "at"
        public static let by = "by"
    }

    public static let fields = [
        RecordField(Field.customer, .record(.customer), required: true, since: 2),
        RecordField(Field.item, .text, required: true, since: 2),
        RecordField(Field.amount, .integer, since: 2),
        RecordField(Field.at, .time, required: true, since: 2),
        RecordField(Field.by, .text, since: 2),
    ]

    public var id: RecordID
    public var customerID: RecordID
    public var item: String
    public var amount: Money?
    public var at: Date
    public var by: String

    public init?(_ values: RecordValues) {
        guard let customerID = values.recordID(Field.customer), let item = values.text(Field.item), let at = values.time(Field.at) else {
            return nil
        }
        self.id = values.id
        self.customerID = customerID
        self.item = item
        self.amount = values.integer(Field.amount).map(Money.init(cents:))
        self.at = at
        self.by = values.text(Field.by) ?? ""
    }

    public static func creation(customer: RecordID, item: String, amount: Money?, at: Date, by: String) -> [String: FieldValue] {
        [
            Field.customer: .text(customer.rawValue),
            Field.item: .text(item),
            Field.amount: amount.map { .integer($0.cents) } ?? .null,
            Field.at: .time(at),
            Field.by: .text(by),
        ]
    }
}

/// An amount of the shop's currency, exact to the cent.
public struct Money: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
    public let cents: Int64

    public init(cents: Int64) {
        self.cents = cents
    }

    /// Reads `120`, `120.5`, `120.50` or `120,50`; nil for anything else, a negative amount, or one over a billion.
    public init?(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: ".")
        let parts = trimmed.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty, parts[0].allSatisfy({ $0.isASCII && $0.isNumber }),
            let whole = Int64(parts[0]), whole <= 1_000_000_000
        else { return nil }
        var fraction: Int64 = 0
        if parts.count == 2 {
            let digits = parts[1]
            guard (1...2).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int64(digits) else { return nil }
            fraction = digits.count == 1 ? value * 10 : value
        }
        cents = whole * 100 + fraction
    }

    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.cents < rhs.cents }

    /// A number of cents, as stored and synced.
    public init(from decoder: any Decoder) throws {
        cents = try decoder.singleValueContainer().decode(Int64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(cents)
    }

    /// `120.50`.
    public var description: String {
        let fraction = cents % 100
        return "\(cents / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}

/// "Follow up purchases of at least AMOUNT after DAYS": the store setting that makes follow-ups by themselves.
public struct PurchaseFollowUpRule: Sendable, Hashable, CustomStringConvertible {
    public let minimum: Money
    public let days: Int

    public var description: String { "\(minimum) after \(days)d" }

    /// Whether a purchase of `amount` gets a follow-up.
    public func applies(to amount: Money?) -> Bool { amount.map { $0 >= minimum } ?? false }

    /// When the follow-up is due: `days` after the purchase or after the last contact since, whichever is later.
    public func due(after purchase: Date, lastContact: Date? = nil) -> Date {
        max(purchase, lastContact ?? purchase).addingTimeInterval(Double(days) * 86_400)
    }
}

extension PurchaseFollowUpRule {
    /// Reads `100 after 14d`, `250.00 after 2w`; nil for anything else.
    public init?(parsing text: String) {
        let words = text.split(separator: " ").map(String.init)
        guard words.count == 3, words[1].lowercased() == "after", let minimum = Money(parsing: words[0]), let last = words[2].last,
            let number = Int(words[2].dropLast()), number > 0
        else { return nil }
        let days: Int
        switch last {
        case "d", "D": days = number
        case "w", "W": days = number * 7
        default: return nil
        }
        guard days <= 3_650 else { return nil }
        self.init(minimum: minimum, days: days)
    }
}
