public import Foundation

/// Someone the shop serves.
public struct Customer: RecordModel, Hashable, Codable {
    public static let kind = RecordKind.customer

    /// The record's field names, as they travel in sync.
    public enum Field {
        public static let name = "name"
        public static let phone = "phone"
        public static let email = "email"
        public static let createdAt = "createdAt"
        public static let createdBy = "createdBy"
        /// When the customer's personal data was erased (`keep customer forget`).
        public static let forgottenAt = "forgottenAt"
        /// The customer this record was merged into (`keep customer merge`): the same person, written down twice.
        /// Every replica shows what is about this customer as the other's, whenever it arrives.
        public static let mergedInto = "mergedInto"
    }

    public static let fields = [
        RecordField(Field.name, .text, required: true),
        RecordField(Field.phone, .text),
        RecordField(Field.email, .text),
        RecordField(Field.createdAt, .time, required: true),
        RecordField(Field.createdBy, .text),
        RecordField(Field.forgottenAt, .time, since: 2),
        RecordField(Field.mergedInto, .record(.customer), since: 4),
    ]

    public var id: RecordID
    public var name: String
    public var phone: String?
    public var email: String?
    public var createdAt: Date
    public var createdBy: String

    public init?(_ values: RecordValues) {
        guard let name = values.text(Field.name), let createdAt = values.time(Field.createdAt) else { return nil }
        self.id = values.id
        self.name = name
        self.phone = values.text(Field.phone)
        self.email = values.text(Field.email)
        self.createdAt = createdAt
        self.createdBy = values.text(Field.createdBy) ?? ""
    }

    /// The fields of a new customer.
    public static func creation(name: String, phone: String?, email: String?, at: Date, by: String) -> [String: FieldValue] {
        [
            Field.name: .text(name),
            Field.phone: .optionalText(phone),
            Field.email: .optionalText(email),
            Field.createdAt: .time(at),
            Field.createdBy: .text(by),
        ]
    }
}
