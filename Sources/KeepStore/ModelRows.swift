import Foundation
public import GRDB
public import KeepCore

// Each shop table is described once, here: its name, its columns, and how a model value fills a row. The
// projection inserts through these, the queries filter and order by these columns, and the rows decode straight
// into the core's model types. Times are stored as milliseconds since 1970, as they travel in sync. The tables'
// history is Schema.swift's migrations, which are never edited.

/// A shop table: one live record of one kind per row, with the text the search index holds for it.
protocol ShopRow: RecordModel, FetchableRecord, PersistableRecord {
    /// The words `keep search` finds the record by.
    var searchableText: String { get }
    /// What a search hit on the record shows: the customer it is about, its text as written, and its time.
    var searchHit: (customerID: RecordID, text: String, at: Date) { get }
}

extension ShopRow {
    public static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy { .millisecondsSince1970 }
}

extension Customer: FetchableRecord, PersistableRecord, ShopRow {
    public static let databaseTableName = "customer"

    public enum Columns {
        public static let id = Column("id")
        public static let name = Column("name")
        /// The name folded for matching a REF without case or accents.
        public static let nameFolded = Column("nameFolded")
        public static let phone = Column("phone")
        public static let email = Column("email")
        public static let createdAt = Column("createdAt")
        public static let createdBy = Column("createdBy")
    }

    public func encode(to container: inout PersistenceContainer) {
        container[Columns.id] = id
        container[Columns.name] = name
        container[Columns.nameFolded] = SearchText.fold(name)
        container[Columns.phone] = phone
        container[Columns.email] = email
        container[Columns.createdAt] = createdAt.epochMilliseconds
        container[Columns.createdBy] = createdBy
    }

    /// The name, e-mail and phone as written, and the phone's digits in the forms it is dialled (``PhoneNumber/searchWords``).
    var searchableText: String {
        ([name, phone, email].compactMap { $0 } + (phone.flatMap(PhoneNumber.init)?.searchWords ?? [])).joined(separator: " ")
    }

    var searchHit: (customerID: RecordID, text: String, at: Date) {
        (id, [name, phone, email].compactMap { $0 }.joined(separator: " · "), createdAt)
    }
}

extension Note: FetchableRecord, PersistableRecord, ShopRow {
    public static let databaseTableName = "note"

    public enum Columns {
        public static let id = Column("id")
        public static let customerID = Column("customerID")
        public static let kind = Column("kind")
        public static let channel = Column("channel")
        public static let text = Column("text")
        public static let author = Column("author")
        public static let at = Column("at")
        public static let replyDueAt = Column("replyDueAt")
        public static let answeredAt = Column("answeredAt")
        public static let answeredBy = Column("answeredBy")
        public static let answerID = Column("answerID")
        public static let inReplyToID = Column("inReplyToID")
        public static let waitingSince = Column("waitingSince")
    }

    public func encode(to container: inout PersistenceContainer) {
        container[Columns.id] = id
        container[Columns.customerID] = customerID
        container[Columns.kind] = kind
        container[Columns.channel] = channel
        container[Columns.text] = text
        container[Columns.author] = author
        container[Columns.at] = at.epochMilliseconds
        container[Columns.replyDueAt] = replyDueAt?.epochMilliseconds
        container[Columns.answeredAt] = answeredAt?.epochMilliseconds
        container[Columns.answeredBy] = answeredBy
        container[Columns.answerID] = answerID
        container[Columns.inReplyToID] = inReplyToID
        container[Columns.waitingSince] = waitingSince?.epochMilliseconds
    }

    var searchableText: String { text }

    var searchHit: (customerID: RecordID, text: String, at: Date) { (customerID, text, at) }
}

extension Promise: FetchableRecord, PersistableRecord, ShopRow {
    public static let databaseTableName = "promise"

    public enum Columns {
        public static let id = Column("id")
        public static let customerID = Column("customerID")
        public static let text = Column("text")
        public static let promisedBy = Column("promisedBy")
        public static let madeAt = Column("madeAt")
        public static let dueAt = Column("dueAt")
        public static let status = Column("status")
        public static let keptAt = Column("keptAt")
        public static let keptBy = Column("keptBy")
        public static let cancelledAt = Column("cancelledAt")
        public static let cancelReason = Column("cancelReason")
    }

    public func encode(to container: inout PersistenceContainer) {
        container[Columns.id] = id
        container[Columns.customerID] = customerID
        container[Columns.text] = text
        container[Columns.promisedBy] = promisedBy
        container[Columns.madeAt] = madeAt.epochMilliseconds
        container[Columns.dueAt] = dueAt.epochMilliseconds
        container[Columns.status] = status
        container[Columns.keptAt] = keptAt?.epochMilliseconds
        container[Columns.keptBy] = keptBy
        container[Columns.cancelledAt] = cancelledAt?.epochMilliseconds
        container[Columns.cancelReason] = cancelReason
    }

    var searchableText: String { [text, cancelReason].compactMap { $0 }.joined(separator: " ") }

    var searchHit: (customerID: RecordID, text: String, at: Date) { (customerID, text, dueAt) }
}

extension FollowUp: FetchableRecord, PersistableRecord, ShopRow {
    public static let databaseTableName = "followUp"

    public enum Columns {
        public static let id = Column("id")
        public static let customerID = Column("customerID")
        public static let text = Column("text")
        public static let dueAt = Column("dueAt")
        public static let status = Column("status")
        public static let createdAt = Column("createdAt")
        public static let createdBy = Column("createdBy")
        public static let doneAt = Column("doneAt")
        public static let doneBy = Column("doneBy")
        public static let purchaseID = Column("purchaseID")
    }

    public func encode(to container: inout PersistenceContainer) {
        container[Columns.id] = id
        container[Columns.customerID] = customerID
        container[Columns.text] = text
        container[Columns.dueAt] = dueAt.epochMilliseconds
        container[Columns.status] = status
        container[Columns.createdAt] = createdAt.epochMilliseconds
        container[Columns.createdBy] = createdBy
        container[Columns.doneAt] = doneAt?.epochMilliseconds
        container[Columns.doneBy] = doneBy
        container[Columns.purchaseID] = purchaseID
    }

    var searchableText: String { text }

    var searchHit: (customerID: RecordID, text: String, at: Date) { (customerID, text, dueAt) }
}

extension Purchase: FetchableRecord, PersistableRecord, ShopRow {
    public static let databaseTableName = "purchase"

    public enum Columns {
        public static let id = Column("id")
        public static let customerID = Column("customerID")
        public static let item = Column("item")
        /// Hundredths of the shop's currency.
        public static let amount = Column("amount")
        public static let at = Column("at")
        public static let by = Column("by")
    }

    public func encode(to container: inout PersistenceContainer) {
        container[Columns.id] = id
        container[Columns.customerID] = customerID
        container[Columns.item] = item
        container[Columns.amount] = amount
        container[Columns.at] = at.epochMilliseconds
        container[Columns.by] = by
    }

    var searchableText: String { item }

    var searchHit: (customerID: RecordID, text: String, at: Date) { (customerID, item, at) }
}

extension Survey: FetchableRecord, PersistableRecord, ShopRow {
    public static let databaseTableName = "survey"

    public enum Columns {
        public static let id = Column("id")
        public static let customerID = Column("customerID")
        public static let score = Column("score")
        public static let text = Column("text")
        public static let at = Column("at")
        public static let by = Column("by")
    }

    public func encode(to container: inout PersistenceContainer) {
        container[Columns.id] = id
        container[Columns.customerID] = customerID
        container[Columns.score] = score
        container[Columns.text] = text
        container[Columns.at] = at.epochMilliseconds
        container[Columns.by] = by
    }

    var searchableText: String { text ?? "" }

    var searchHit: (customerID: RecordID, text: String, at: Date) { (customerID, text ?? "", at) }
}

extension ShopSettings: FetchableRecord, PersistableRecord, ShopRow {
    public static let databaseTableName = "shopSettings"

    public enum Columns {
        public static let id = Column("id")
        public static let replyWindowHours = Column("replyWindowHours")
        public static let workdayEnd = Column("workdayEnd")
        public static let openingHours = Column("openingHours")
        public static let closedDays = Column("closedDays")
        public static let purchaseFollowUp = Column("purchaseFollowUp")
        public static let countryCode = Column("countryCode")
    }

    public func encode(to container: inout PersistenceContainer) {
        container[Columns.id] = id
        container[Columns.replyWindowHours] = replyWindowHours
        container[Columns.workdayEnd] = workdayEnd
        container[Columns.openingHours] = openingHours
        container[Columns.closedDays] = closedDays
        container[Columns.purchaseFollowUp] = purchaseFollowUp
        container[Columns.countryCode] = countryCode
    }

    /// Settings are not searched.
    var searchableText: String { "" }

    /// Never shown: a record with no searchable text has no search hit.
    var searchHit: (customerID: RecordID, text: String, at: Date) { (id, "", .distantPast) }
}

extension RecordKind {
    /// The model type whose table holds this kind's live records.
    var row: any ShopRow.Type {
        switch self {
        case .customer: Customer.self
        case .note: Note.self
        case .promise: Promise.self
        case .followUp: FollowUp.self
        case .purchase: Purchase.self
        case .survey: Survey.self
        case .shop: ShopSettings.self
        }
    }
}

extension Money: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { cents.databaseValue }

    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> Money? { Int64.fromDatabaseValue(dbValue).map(Money.init(cents:)) }
}

extension RecordID: DatabaseValueConvertible {
    public var databaseValue: DatabaseValue { rawValue.databaseValue }

    public static func fromDatabaseValue(_ dbValue: DatabaseValue) -> RecordID? {
        String.fromDatabaseValue(dbValue).flatMap(RecordID.init)
    }
}

extension Note.Kind: DatabaseValueConvertible {}
extension Note.Channel: DatabaseValueConvertible {}
extension Promise.Status: DatabaseValueConvertible {}
extension FollowUp.Status: DatabaseValueConvertible {}
