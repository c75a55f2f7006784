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
    }

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
    }

    /// Whether the shop still owes this customer a reply.
    public var isAwaitingReply: Bool { kind.owesReply && answeredAt == nil }

    /// Whether the reply came, or is still owed, after the reply window closed.
    public func isReplyLate(now: Date) -> Bool {
        guard let replyDueAt else { return false }
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

    /// The fields that mark an inquiry answered.
    public static func answering(at: Date, by: String, answer: RecordID?) -> [String: FieldValue] {
        [Field.answeredAt: .time(at), Field.answeredBy: .text(by), Field.answer: .optionalText(answer?.rawValue)]
    }
}
