public import Foundation

/// What was discussed with a customer: a plain note, an inquiry or complaint that is owed a reply, or a reply.
public struct Note: RecordModel, Hashable, Codable {
    public static let kind = RecordKind.note

    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case note
        case inquiry
        case reply
        case complaint

        /// Inquiries and complaints start a reply clock.
        public var owesReply: Bool { self == .inquiry || self == .complaint }
    }

    /// How the conversation happened.
    public enum Channel: String, Sendable, Hashable, Codable, CaseIterable {
        case phone
        case email
        case visit
        case chat
    }

    public enum Field {
        public static let customer = "customer"
        public static let kind = "kind"
        public static let channel = "channel"
        public static let text = "text"
        public static let author = "author"
        public static let at = "at"
        public static let replyDueAt = "replyDueAt"
        public static let answeredAt = "answeredAt"
        public static let answeredBy = "answeredBy"
        public static let answer = "answer"
        public static let inReplyTo = "inReplyTo"
        /// Since schema 3: when the shop began waiting on the customer, which pauses the reply clock.
        public static let waitingSince = "waitingSince"
    }

    public static let fields = [
        RecordField(Field.customer, .record(.customer), required: true),
        RecordField(Field.kind, .choice(of: Kind.self), required: true),
        RecordField(Field.channel, .choice(of: Channel.self)),
        RecordField(Field.text, .text, required: true),
        RecordField(Field.author, .text),
        RecordField(Field.at, .time, required: true),
        RecordField(Field.replyDueAt, .time),
        RecordField(Field.answeredAt, .time),
        RecordField(Field.answeredBy, .text),
        RecordField(Field.answer, .record(.note)),
        RecordField(Field.inReplyTo, .record(.note)),
        RecordField(Field.waitingSince, .time, since: 3),
    ]

    public var id: RecordID
    public var customerID: RecordID
    public var kind: Kind
    public var channel: Channel?
    public var text: String
    public var author: String
    public var at: Date
    /// When the reply is owed by, for inquiries and complaints.
    public var replyDueAt: Date?
    public var answeredAt: Date?
    public var answeredBy: String?
    /// The reply note that answered this inquiry, if the answer was written down.
    public var answerID: RecordID?
    /// For a reply: the inquiry it answers.
    public var inReplyToID: RecordID?
    /// Set while the shop waits on the customer (it asked them something); the reply clock is paused.
    public var waitingSince: Date?

    public init?(_ values: RecordValues) {
        guard let customerID = values.recordID(Field.customer),
            let kind = values.choice(Field.kind, as: Kind.self),
            let text = values.text(Field.text),
            let at = values.time(Field.at)
        else { return nil }
        self.id = values.id
        self.customerID = customerID
        self.kind = kind
        self.channel = values.choice(Field.channel)
        self.text = text
        self.author = values.text(Field.author) ?? ""
        self.at = at
        self.replyDueAt = values.time(Field.replyDueAt)
        self.answeredAt = values.time(Field.answeredAt)
        self.answeredBy = values.text(Field.answeredBy)
        self.answerID = values.recordID(Field.answer)
        self.inReplyToID = values.recordID(Field.inReplyTo)
        self.waitingSince = values.time(Field.waitingSince)
    }

    /// Whether the shop still owes this customer a reply.
    public var isAwaitingReply: Bool { kind.owesReply && answeredAt == nil }

    /// Whether the shop is waiting on the customer, with the reply clock paused.
    public var isWaitingOnCustomer: Bool { isAwaitingReply && waitingSince != nil }

    /// Whether the reply came, or is still owed, after the reply window closed. A paused clock is late only if it
    /// was late when it paused.
    public func isReplyLate(now: Date) -> Bool {
        guard let replyDueAt else { return false }
        if answeredAt == nil, let waitingSince { return waitingSince > replyDueAt }
        return (answeredAt ?? now) > replyDueAt
    }

    /// The fields of a new note.
    public static func creation(
        customer: RecordID,
        kind: Kind,
        channel: Channel?,
        text: String,
        author: String,
        at: Date,
        replyDueAt: Date? = nil,
        inReplyTo: RecordID? = nil
    ) -> [String: FieldValue] {
        [
            Field.customer: .text(customer.rawValue),
            Field.kind: .text(kind.rawValue),
            Field.channel: .optionalText(channel?.rawValue),
            Field.text: .text(text),
            Field.author: .text(author),
            Field.at: .time(at),
            Field.replyDueAt: .optionalTime(replyDueAt),
            Field.inReplyTo: .optionalText(inReplyTo?.rawValue),
        ]
    }

    /// The fields that pause the reply clock: the shop asked the customer something and waits on them.
    public static func waiting(since: Date) -> [String: FieldValue] {
        [Field.waitingSince: .time(since)]
    }

    /// The fields that run the clock again when the customer gets back: the reply is owed by `replyDueAt`.
    public static func resuming(replyDueAt: Date) -> [String: FieldValue] {
        [Field.waitingSince: .null, Field.replyDueAt: .time(replyDueAt)]
    }

    /// The fields that mark an inquiry answered.
    public static func answering(at: Date, by: String, answer: RecordID?) -> [String: FieldValue] {
        [Field.answeredAt: .time(at), Field.answeredBy: .text(by), Field.answer: .optionalText(answer?.rawValue)]
    }
}
