public import Foundation

/// How satisfied a customer said they were, from 1 (not at all) to 5 (very), with their words if any.
public struct Survey: RecordModel, Hashable, Codable {
    public static let kind = RecordKind.survey
    public static let scores = 1...5

    public enum Field {
        public static let customer = "customer"
        public static let score = "score"
        public static let text = "text"
        public static let at = "at"
        public static let by = "by"
    }

    public static let fields = [
        RecordField(Field.customer, .record(.customer), required: true, since: 2),
        RecordField(Field.score, .integerIn(Int64(scores.lowerBound)...Int64(scores.upperBound)), required: true, since: 2),
        RecordField(Field.text, .text, since: 2),
        RecordField(Field.at, .time, required: true, since: 2),
        RecordField(Field.by, .text, since: 2),
    ]

    public var id: RecordID
    public var customerID: RecordID
    public var score: Int
    public var text: String?
    public var at: Date
    public var by: String

    public init?(_ values: RecordValues) {
        guard let customerID = values.recordID(Field.customer), let score = values.integer(Field.score).map(Int.init),
            Self.scores.contains(score), let at = values.time(Field.at)
        else { return nil }
        self.id = values.id
        self.customerID = customerID
        self.score = score
        self.text = values.text(Field.text)
        self.at = at
        self.by = values.text(Field.by) ?? ""
    }

    public static func creation(customer: RecordID, score: Int, text: String?, at: Date, by: String) -> [String: FieldValue] {
        [
            Field.customer: .text(customer.rawValue),
            Field.score: .integer(Int64(score)),
            Field.text: .optionalText(text),
            Field.at: .time(at),
            Field.by: .text(by),
        ]
    }
}
