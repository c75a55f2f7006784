public import Foundation

/// A promise to get back to a customer later, such as a call 90 days after a big purchase.
public struct FollowUp: RecordModel, Hashable, Codable {
    public static let kind = RecordKind.followUp

    public enum Status: String, Sendable, Hashable, Codable, CaseIterable {
        case open
        case done
        case cancelled
    }

    public enum Field {
        public static let customer = "customer"
        public static let text = "text"
        public static let dueAt = "dueAt"
        public static let status = "status"
        public static let createdAt = "createdAt"
        public static let createdBy = "createdBy"
        public static let doneAt = "doneAt"
        public static let doneBy = "doneBy"
        /// The purchase an automatic follow-up is about.
        public static let purchase = "purchase"
    }

    public static let fields = [
        RecordField(Field.customer, .record(.customer), required: true),
        RecordField(Field.text, .text, required: true),
        RecordField(Field.dueAt, .time, required: true),
        RecordField(Field.status, .choice(of: Status.self), required: true),
        RecordField(Field.createdAt, .time, required: true),
        RecordField(Field.createdBy, .text),
        RecordField(Field.doneAt, .time),
        RecordField(Field.doneBy, .text),
        RecordField(Field.purchase, .record(.purchase), since: 2),
    ]

    public var id: RecordID
    public var customerID: RecordID
    public var text: String
    public var dueAt: Date
    public var status: Status
    public var createdAt: Date
    public var createdBy: String
    public var doneAt: Date?
    public var doneBy: String?
    /// For a follow-up made by the purchase rule: the purchase. Recording a contact with the customer moves it.
    public var purchaseID: RecordID?

    public init?(_ values: RecordValues) {
        guard let customerID = values.recordID(Field.customer),
            let text = values.text(Field.text),
            let dueAt = values.time(Field.dueAt),
            let status = values.choice(Field.status, as: Status.self),
            let createdAt = values.time(Field.createdAt)
        else { return nil }
        self.id = values.id
        self.customerID = customerID
        self.text = text
        self.dueAt = dueAt
        self.status = status
        self.createdAt = createdAt
        self.createdBy = values.text(Field.createdBy) ?? ""
        self.doneAt = values.time(Field.doneAt)
        self.doneBy = values.text(Field.doneBy)
        self.purchaseID = values.recordID(Field.purchase)
    }

    public func isOverdue(now: Date) -> Bool { status == .open && dueAt < now }

    public static func creation(
        customer: RecordID,
        text: String,
        dueAt: Date,
        at: Date,
        by: String,
        purchase: RecordID? = nil
    ) -> [String: FieldValue] {
        var values: [String: FieldValue] = [
            Field.customer: .text(customer.rawValue),
            Field.text: .text(text),
            Field.dueAt: .time(dueAt),
            Field.status: .text(Status.open.rawValue),
            Field.createdAt: .time(at),
            Field.createdBy: .text(by),
        ]
        if let purchase { values[Field.purchase] = .text(purchase.rawValue) }
        return values
    }

    public static func completing(at: Date, by: String) -> [String: FieldValue] {
        [Field.status: .text(Status.done.rawValue), Field.doneAt: .time(at), Field.doneBy: .text(by)]
    }

    public static func cancelling() -> [String: FieldValue] { [Field.status: .text(Status.cancelled.rawValue)] }
}
