/// The identity of a record (a customer, a note, a promise, a follow-up): 128 random bits as 32 lowercase hex digits.
///
/// People type a short prefix of it, as with git commits.
public struct RecordID: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let rawValue: String

    /// Accepts only the canonical form.
    public init?(_ rawValue: String) {
        guard rawValue.utf8.count == 32, rawValue.utf8.allSatisfy(HexDigits.isLowercaseHex) else { return nil }
        self.rawValue = rawValue
    }

    public static func random<G: RandomNumberGenerator>(using generator: inout G) -> RecordID {
        RecordID(unchecked: HexDigits.random(byteCount: 16, using: &generator))
    }

    public static func random() -> RecordID {
        var generator = SystemRandomNumberGenerator()
        return random(using: &generator)
    }

    init(unchecked rawValue: String) {
        self.rawValue = rawValue
    }

    /// The short form shown in lists.
    public var short: String { String(rawValue.prefix(RecordID.shortLength)) }

    public static let shortLength = 8

    public static func < (lhs: RecordID, rhs: RecordID) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let id = RecordID(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "a record id is 32 lowercase hex digits")
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// What a record holds.
public enum RecordKind: String, Sendable, Hashable, Codable, CaseIterable {
    case customer
    case note
    case promise
    case followUp = "followup"
    case purchase
    case survey
    /// The shop's own settings: one record per shop (``ShopSettings``).
    case shop
}
