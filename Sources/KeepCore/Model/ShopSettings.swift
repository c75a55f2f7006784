public import Foundation

/// The settings that belong to the shop rather than to one laptop: how long a customer may wait, when the shop is
/// open, when purchases get a follow-up, its country calling code.
///
/// They are one replicated record whose id every replica knows (``recordID``), so that two laptops setting them
/// offline write the same record: a difference between them is a conflict on a field, settled like any other, never
/// two records of which a replica reads one. A field never written, or holding a value of another kind, is unset and
/// reads as its default; each value is the text (or hours) `keep config set` stores.
public struct ShopSettings: RecordModel, Hashable, Codable {
    public static let kind = RecordKind.shop

    /// The one id of the record on every replica: the ASCII bytes of "shop" in hex, then zeros (Sync/SCHEMA.md).
    public static let recordID = RecordID(unchecked: "73686f70" + String(repeating: "0", count: 24))

    /// The longest reply window, in hours: thirty days.
    public static let replyWindowHours: ClosedRange<Int64> = 1...720

    public enum Field {
        public static let replyWindowHours = "replyWindowHours"
        public static let workdayEnd = "workdayEnd"
        public static let openingHours = "openingHours"
        public static let closedDays = "closedDays"
        public static let purchaseFollowUp = "purchaseFollowUp"
        public static let countryCode = "countryCode"
    }

    public static let fields = [
        RecordField(Field.replyWindowHours, .integerIn(replyWindowHours), since: 4),
        RecordField(Field.workdayEnd, .text, since: 4),
        RecordField(Field.openingHours, .text, since: 4),
        RecordField(Field.closedDays, .text, since: 4),
        RecordField(Field.purchaseFollowUp, .text, since: 4),
        RecordField(Field.countryCode, .text, since: 4),
    ]

    public var id: RecordID
    public var replyWindowHours: Int?
    public var workdayEnd: String?
    public var openingHours: String?
    public var closedDays: String?
    public var purchaseFollowUp: String?
    public var countryCode: String?

    /// Never nil: a shop record with no field set is the shop with every default.
    public init?(_ values: RecordValues) {
        self.id = values.id
        self.replyWindowHours = values.integer(Field.replyWindowHours).flatMap { Self.replyWindowHours.contains($0) ? Int($0) : nil }
        self.workdayEnd = values.text(Field.workdayEnd)
        self.openingHours = values.text(Field.openingHours)
        self.closedDays = values.text(Field.closedDays)
        self.purchaseFollowUp = values.text(Field.purchaseFollowUp)
        self.countryCode = values.text(Field.countryCode)
    }
}
