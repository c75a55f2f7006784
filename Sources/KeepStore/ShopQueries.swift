public import Foundation
import GRDB
public import KeepCore

/// Which promises to list.
public enum PromiseFilter: Sendable, Hashable {
    case all
    case open
    case overdue
}

/// What `keep today` shows, in the order a shop should act on it.
///
/// Each list may be cut to its first rows (a big book can owe thousands); `totals` says how many there are in all.
public struct Agenda: Sendable {
    /// Open promises past their due time, oldest first.
    public var overduePromises: [Promise]
    /// Inquiries and complaints still owed a reply, least time left first (late ones first of all).
    public var repliesOwed: [Note]
    /// Inquiries and complaints whose clock is paused while the shop waits on the customer, longest waiting first.
    public var waitingOnCustomers: [Note]
    /// Open promises due between now and the end of today.
    public var promisesDueToday: [Promise]
    /// Open follow-ups due by the end of today (including late ones).
    public var followUpsDueToday: [FollowUp]
    /// Open promises due after today but within the look-ahead, soonest first.
    public var promisesComingUp: [Promise]
    /// Open follow-ups due after today but within the look-ahead.
    public var followUpsComingUp: [FollowUp]
    /// How many items each list holds in all, before any cut.
    public var totals: Totals
    /// The customers these items concern, by id.
    public var customers: [RecordID: Customer]

    public struct Totals: Sendable, Hashable {
        public var overduePromises = 0
        public var repliesOwed = 0
        public var waitingOnCustomers = 0
        public var promisesDueToday = 0
        public var followUpsDueToday = 0
        public var promisesComingUp = 0
        public var followUpsComingUp = 0
    }

    public var isEmpty: Bool { totals == Totals() }
}

/// One search result.
public struct SearchHit: Sendable {
    public let kind: RecordKind
    public let id: RecordID
    /// The customer the hit is about (the customer itself for a customer hit).
    public let customerID: RecordID?
    /// The text that matched, as written.
    public let text: String
    public let at: Date?
}

extension ReplicaStore {
    public func customer(_ id: RecordID) throws(StoreError) -> Customer? {
        try read { db in try Customer.fetchOne(db, key: id) }
    }

    public func customers(limit: Int? = nil) throws(StoreError) -> [Customer] {
        var request = Customer.all().byName()
        if let limit { request = request.limit(limit) }
        return try read { db in try request.fetchAll(db) }
    }

    public func customers(ids: some Collection<RecordID>) throws(StoreError) -> [RecordID: Customer] {
        try read { db in try Self.customers(ids: ids, db) }
    }

    static func customers(ids: some Collection<RecordID>, _ db: Database) throws -> [RecordID: Customer] {
        var result: [RecordID: Customer] = [:]
        let unique = Array(Set(ids))
        for start in stride(from: 0, to: unique.count, by: 500) {
            for customer in try Customer.fetchAll(db, keys: unique[start..<min(start + 500, unique.count)]) { result[customer.id] = customer }
        }
        return result
    }

    public func note(_ id: RecordID) throws(StoreError) -> Note? {
        try read { db in try Note.fetchOne(db, key: id) }
    }

    public func notes(customer: RecordID) throws(StoreError) -> [Note] {
        try read { db in try Note.all().about(customer).chronological().fetchAll(db) }
    }

    /// Every note of the book, oldest first.
    public func allNotes() throws(StoreError) -> [Note] {
        try read { db in try Note.all().chronological().fetchAll(db) }
    }

    public func promise(_ id: RecordID) throws(StoreError) -> Promise? {
        try read { db in try Promise.fetchOne(db, key: id) }
    }

    public func promises(_ filter: PromiseFilter, customer: RecordID? = nil, now: Date = Date()) throws(StoreError) -> [Promise] {
        var request = Promise.all()
        switch filter {
        case .all: break
        case .open: request = request.open()
        case .overdue: request = request.overdue(at: now)
        }
        if let customer { request = request.about(customer) }
        return try read { db in try request.bySoonestDue().fetchAll(db) }
    }

    public func followUp(_ id: RecordID) throws(StoreError) -> FollowUp? {
        try read { db in try FollowUp.fetchOne(db, key: id) }
    }

    public func followUps(openOnly: Bool, customer: RecordID? = nil) throws(StoreError) -> [FollowUp] {
        var request = FollowUp.all()
        if openOnly { request = request.open() }
        if let customer { request = request.about(customer) }
        return try read { db in try request.bySoonestDue().fetchAll(db) }
    }

    /// Inquiries and complaints still owed a reply, least time left first; those waiting on the customer last.
    public func repliesOwed() throws(StoreError) -> [Note] {
        try read { db in
            try Note.all().owingReply().order(Note.Columns.waitingSince != nil, Note.Columns.replyDueAt, Note.Columns.id).fetchAll(db)
        }
    }

    /// The day's work: what is late, what is owed, what is due today, and what is coming up; each list cut to its
    /// first `limit` rows when a limit is given.
    public func agenda(now: Date, endOfToday: Date, lookAhead: Date, limit: Int? = nil) throws(StoreError) -> Agenda {
        let nowMS = now.epochMilliseconds
        let endMS = endOfToday.epochMilliseconds
        let lookAheadMS = lookAhead.epochMilliseconds
        return try read { db in
            var totals = Agenda.Totals()
            /// The first rows of a list and how many it holds.
            func list<R: FetchableRecord>(_ request: QueryInterfaceRequest<R>, total: WritableKeyPath<Agenda.Totals, Int>) throws -> [R] {
                guard let limit else {
                    let rows = try request.fetchAll(db)
                    totals[keyPath: total] = rows.count
                    return rows
                }
                let rows = try request.limit(limit).fetchAll(db)
                totals[keyPath: total] = rows.count < limit ? rows.count : try request.fetchCount(db)
                return rows
            }
            let overdue = try list(Promise.all().overdue(at: now).bySoonestDue(), total: \.overduePromises)
            let replies = try list(
                Note.all().owingReply().waitingOnCustomer(false).order(Note.Columns.replyDueAt, Note.Columns.id),
                total: \.repliesOwed
            )
            let waiting = try list(
                Note.all().owingReply().waitingOnCustomer(true).order(Note.Columns.waitingSince, Note.Columns.id),
                total: \.waitingOnCustomers
            )
            let dueToday = try list(
                Promise.all().open().filter(Promise.Columns.dueAt >= nowMS && Promise.Columns.dueAt <= endMS).bySoonestDue(),
                total: \.promisesDueToday
            )
            let followUpsToday = try list(
                FollowUp.all().open().filter(FollowUp.Columns.dueAt <= endMS).bySoonestDue(),
                total: \.followUpsDueToday
            )
            let promisesComingUp = try list(
                Promise.all().open().filter(Promise.Columns.dueAt > endMS && Promise.Columns.dueAt <= lookAheadMS).bySoonestDue(),
                total: \.promisesComingUp
            )
            let followUpsComingUp = try list(
                FollowUp.all().open().filter(FollowUp.Columns.dueAt > endMS && FollowUp.Columns.dueAt <= lookAheadMS).bySoonestDue(),
                total: \.followUpsComingUp
            )
            let customerIDs =
                overdue.map(\.customerID) + replies.map(\.customerID) + waiting.map(\.customerID) + dueToday.map(\.customerID)
                + followUpsToday.map(\.customerID) + promisesComingUp.map(\.customerID) + followUpsComingUp.map(\.customerID)
            return Agenda(
                overduePromises: overdue,
                repliesOwed: replies,
                waitingOnCustomers: waiting,
                promisesDueToday: dueToday,
                followUpsDueToday: followUpsToday,
                promisesComingUp: promisesComingUp,
                followUpsComingUp: followUpsComingUp,
                totals: totals,
                customers: try Self.customers(ids: customerIDs, db)
            )
        }
    }

    /// Full-text search over customers, notes, promises and follow-ups, ignoring case and accents; best matches first.
    /// A phone number finds the customers with that number however it is written (``PhoneNumber``).
    public func search(_ query: String, limit: Int = 50) throws(StoreError) -> [SearchHit] {
        guard SearchText.matchExpression(for: query) != nil else { return [] }
        return try read { db in
            guard let expression = SearchText.matchExpression(for: query, countryCode: try StoreSettings.countryCode(db)) else { return [] }
            let matches = try Row.fetchAll(
                db,
                sql: """
                    SELECT record.id, record.kind FROM searchIndex JOIN record ON record.rowid = searchIndex.rowid
                    WHERE searchIndex MATCH ? ORDER BY searchIndex.rank LIMIT ?
                    """,
                arguments: [expression, limit]
            )
            return try matches.compactMap { row -> SearchHit? in
                guard let id = RecordID(row["id"]), let kind = RecordKind(rawValue: row["kind"]) else { return nil }
                return try Self.hit(kind: kind, id: id, db)
            }
        }
    }

    private static func hit(kind: RecordKind, id: RecordID, _ db: Database) throws -> SearchHit? {
        guard let row = try kind.row.fetchOne(db, key: id) else { return nil }
        let shown = row.searchHit
        return SearchHit(kind: kind, id: id, customerID: shown.customerID, text: shown.text, at: shown.at)
    }

    /// Every record with a conflict, with its conflicts.
    public func conflicts() throws(StoreError) -> [Conflict] {
        try read { db in
            let states = try Data.fetchAll(db, sql: "SELECT state FROM record WHERE hasConflict = 1 ORDER BY id")
            let decoder = JSONDecoder()
            return try states.flatMap { try decoder.decode(RecordState.self, from: $0).conflicts }
        }
    }

    /// How many records hold a conflict, without reading them.
    public func conflictedRecordCount() throws(StoreError) -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM record WHERE hasConflict = 1") ?? 0 }
    }

    /// The full replicated state of a record, for inspection and sync.
    public func recordState(_ id: RecordID) throws(StoreError) -> RecordState? {
        try read { db in try RecordRepository.state(id, db) }
    }

    /// Everyone who recorded a promise, note, answer or follow-up in this book, as they were recorded.
    public func agents() throws(StoreError) -> [String] {
        try read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT promisedBy FROM promise UNION SELECT keptBy FROM promise WHERE keptBy IS NOT NULL
                    UNION SELECT author FROM note UNION SELECT answeredBy FROM note WHERE answeredBy IS NOT NULL
                    UNION SELECT createdBy FROM followUp ORDER BY 1
                    """
            )
        }
    }

    /// How many changes are waiting to be synced.
    public func outboxCount() throws(StoreError) -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT COUNT(DISTINCT recordID) FROM outbox") ?? 0 }
    }
}
