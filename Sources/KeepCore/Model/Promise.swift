public import Foundation

/// Something the shop promised a customer, by when.
public struct Promise: RecordModel, Hashable, Codable {
    public static let kind = RecordKind.promise

    /// What became of the promise. Overdue and kept-late are read off the times, not stored.
    public enum Status: String, Sendable, Hashable, Codable, CaseIterable {
        case open
        case kept
        case cancelled
    }

    public enum Field {
        public static let customer = "customer"
        public static let text = "text"
        public static let promisedBy = "promisedBy"
        public static let madeAt = "madeAt"
        public static let dueAt = "dueAt"
        public static let status = "status"
        public static let keptAt = "keptAt"
        public static let keptBy = "keptBy"
        public static let cancelledAt = "cancelledAt"
        public static let cancelReason = "cancelReason"
    }

    public static let fields = [
        RecordField(Field.customer, .record(.customer), required: true),
        RecordField(Field.text, .text, required: true),
        RecordField(Field.promisedBy, .text),
        RecordField(Field.madeAt, .time, required: true),
        RecordField(Field.dueAt, .time, required: true),
        RecordField(Field.status, .choice(of: Status.self), required: true),
        RecordField(Field.keptAt, .time),
        RecordField(Field.keptBy, .text),
        RecordField(Field.cancelledAt, .time),
        RecordField(Field.cancelReason, .text),
    ]

    public var id: RecordID
    public var customerID: RecordID
    public var text: String
    public var promisedBy: String
    public var madeAt: Date
    public var dueAt: Date
    public var status: Status
    public var keptAt: Date?
    public var keptBy: String?
    public var cancelledAt: Date?
    public var cancelReason: String?

    public init?(_ values: RecordValues) {
        guard let customerID = values.recordID(Field.customer),
            let text = values.text(Field.text),
            let madeAt = values.time(Field.madeAt),
            let dueAt = values.time(Field.dueAt),
            let status = values.choice(Field.status, as: Status.self)
        else { return nil }
        self.id = values.id
        self.customerID = customerID
        self.text = text
        self.promisedBy = values.text(Field.promisedBy) ?? ""
        self.madeAt = madeAt
        self.dueAt = dueAt
        self.status = status
        self.keptAt = values.time(Field.keptAt)
        self.keptBy = values.text(Field.keptBy)
        self.cancelledAt = values.time(Field.cancelledAt)
        self.cancelReason = values.text(Field.cancelReason)
    }

    /// Open and past its due time.
    public func isOverdue(now: Date) -> Bool { status == .open && dueAt < now }

    /// Kept, but after it was due.
    public var wasKeptLate: Bool {
        guard status == .kept, let keptAt else { return false }
        return keptAt > dueAt
    }

    public static func creation(customer: RecordID, text: String, dueAt: Date, at: Date, by: String) -> [String: FieldValue] {
        [
            Field.customer: .text(customer.rawValue),
            Field.text: .text(text),
            Field.promisedBy: .text(by),
            Field.madeAt: .time(at),
            Field.dueAt: .time(dueAt),
            Field.status: .text(Status.open.rawValue),
        ]
    }

    public static func keeping(at: Date, by: String) -> [String: FieldValue] {
        [Field.status: .text(Status.kept.rawValue), Field.keptAt: .time(at), Field.keptBy: .text(by)]
    }

    public static func cancelling(reason: String, at: Date) -> [String: FieldValue] {
        [Field.status: .text(Status.cancelled.rawValue), Field.cancelledAt: .time(at), Field.cancelReason: .text(reason)]
    }
}
