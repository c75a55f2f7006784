public import Foundation
import GRDB
public import KeepCore

/// Local writes inside one store transaction: each call mints a fresh dot, stores the record's new
/// state, projects it, and appends to the outbox. What the transaction did goes to the undo log with it.
public struct LocalWriter {
    let db: Database
    public let replica: ReplicaID
    public let agent: String
    public let now: Date
    /// Notes the change for `keep undo`; nil while taking one back, which is not itself a change to take back.
    let changes: ChangeRecorder?
    /// What `keep undo` calls this change, for a command that knows a better name than the records it touched
    /// ("answered the inquiry 1a2b3c4d"); nil to name it after them.
    public var summary: String?

    init(db: Database, replica: ReplicaID, agent: String, now: Date, recordingChanges: Bool = true) {
        self.db = db
        self.replica = replica
        self.agent = agent
        self.now = now
        self.changes = recordingChanges ? ChangeRecorder() : nil
    }

    /// Appends what this transaction wrote to the undo log; the store calls it once the writes are done.
    func commitChange() throws {
        try changes?.commit(summary: summary, agent: agent, now: now, db)
    }

    /// Creates a record of `kind` with `values`, returning its new id.
    @discardableResult
    public func create(_ kind: RecordKind, _ values: [String: FieldValue]) throws -> RecordID {
        let id = RecordID.random()
        var state = RecordState(id: id, kind: kind)
        let dot = try mintDot()
        state.write(values, dot: dot, at: now.epochMilliseconds, by: agent)
        try RecordRepository.save(state, isNew: true, db)
        try appendToOutbox(id, dot)
        changes?.note(before: nil, after: state, wrote: values.keys)
        if Self.contactKinds.contains(kind), let customer = values[Note.Field.customer]?.text.flatMap(RecordID.init) {
            try noteContact(with: customer)
        }
        return id
    }

    /// What counts as being in touch with a customer: a note of any kind, a promise, a purchase, a survey.
    static let contactKinds: Set<RecordKind> = [.note, .promise, .purchase, .survey]

    /// Moves the customer's open automatic follow-ups to the purchase rule's days after now: a follow-up is not
    /// due if you spoke last week. Creating a contact record does this by itself; answering an inquiry calls it.
    public func noteContact(with customer: RecordID) throws {
        guard let rule = PurchaseFollowUpRule(parsing: try StoreSettings.read(.purchaseFollowUp, db)) else { return }
        let dueAt = rule.due(after: now)
        let moving = try FollowUp.all().open().automatic().about(customer).filter(FollowUp.Columns.dueAt < dueAt.epochMilliseconds)
            .select(FollowUp.Columns.id, as: RecordID.self).fetchAll(db)
        for id in moving {
            try update(id, kind: .followUp, [FollowUp.Field.dueAt: .time(dueAt)])
        }
    }

    /// Writes `values` into the live record `id`, which must be of `kind`.
    public func update(_ id: RecordID, kind: RecordKind, _ values: [String: FieldValue]) throws {
        var state = try liveRecord(id, kind: kind)
        let before = state
        let dot = try mintDot()
        state.write(values, dot: dot, at: now.epochMilliseconds, by: agent)
        try RecordRepository.save(state, db)
        try appendToOutbox(id, dot)
        changes?.note(before: before, after: state, wrote: values.keys)
    }

    /// Overwrites `values` in record `id` whether or not it is deleted; a deleted record stays deleted (the
    /// write, then a delete that has seen it). For erasing personal data, which deleted records hold too.
    func overwrite(_ id: RecordID, kind: RecordKind, _ values: [String: FieldValue]) throws {
        guard let state = try RecordRepository.state(id, db), state.kind == kind else { return }
        try rewrite(state, values, deleted: state.isDeleted)
    }

    /// Writes `values` into record `id` (which takes back any delete) and leaves it deleted or not as `deleted`
    /// says: how `keep undo` puts a record back as it was. Writes nothing when the record is already so.
    func restore(_ id: RecordID, kind: RecordKind, _ values: [String: FieldValue], deleted: Bool) throws {
        guard let state = try RecordRepository.state(id, db), state.kind == kind else { throw StoreError(.noSuchRecord(id.short)) }
        guard !values.isEmpty || deleted != state.isDeleted || (!deleted && state.hasDeleteConflict) else { return }
        try rewrite(state, values, deleted: deleted)
    }

    /// Writes `values` into `state` (none: only to take back its deletes) unless only a delete is wanted, then deletes
    /// it if `deleted`: one or two dots, one outbox entry.
    private func rewrite(_ state: RecordState, _ values: [String: FieldValue], deleted: Bool) throws {
        let before = state
        var state = state
        var last: Dot?
        if !values.isEmpty || !deleted {
            let dot = try mintDot()
            state.write(values, dot: dot, at: now.epochMilliseconds, by: agent)
            last = dot
        }
        if deleted && !state.isDeleted {
            let dot = try mintDot()
            state.delete(dot: dot, at: now.epochMilliseconds, by: agent)
            last = dot
        }
        guard let last else { return }
        try RecordRepository.save(state, db)
        try appendToOutbox(state.id, last)
        changes?.note(before: before, after: state, wrote: values.keys)
    }

    /// Deletes the live record `id`, which must be of `kind`.
    public func delete(_ id: RecordID, kind: RecordKind) throws {
        var state = try liveRecord(id, kind: kind)
        let before = state
        let dot = try mintDot()
        state.delete(dot: dot, at: now.epochMilliseconds, by: agent)
        try RecordRepository.save(state, db)
        try appendToOutbox(id, dot)
        changes?.note(before: before, after: state, wrote: [])
    }

    /// Writes `values` into the shop's settings record, creating it the first time: every replica creates it
    /// under the same id (``ShopSettings/recordID``), so two laptops' first settings merge into one record.
    public func writeShopSettings(_ values: [String: FieldValue]) throws {
        let existing = try RecordRepository.state(ShopSettings.recordID, db)
        if let existing, existing.kind != .shop {
            throw StoreError(.wrongKind(id: existing.id.short, expected: RecordKind.shop.displayName, found: existing.kind.displayName))
        }
        var state = existing ?? RecordState(id: ShopSettings.recordID, kind: .shop)
        let dot = try mintDot()
        state.write(values, dot: dot, at: now.epochMilliseconds, by: agent)
        try RecordRepository.save(state, isNew: existing == nil, db)
        try appendToOutbox(state.id, dot)
        changes?.note(before: existing, after: state, wrote: values.keys)
    }

    /// The record's full replicated state, deleted or not.
    public func record(_ id: RecordID) throws -> RecordState? { try RecordRepository.state(id, db) }

    /// The current value of a setting.
    public func setting(_ setting: StoreSetting) throws -> String { try StoreSettings.read(setting, db) }

    func liveRecord(_ id: RecordID, kind: RecordKind) throws -> RecordState {
        guard let state = try RecordRepository.state(id, db) else { throw StoreError(.noSuchRecord(id.short)) }
        guard state.kind == kind else {
            throw StoreError(.wrongKind(id: id.short, expected: kind.displayName, found: state.kind.displayName))
        }
        guard !state.isDeleted else { throw StoreError(.deleted(id: id.short)) }
        return state
    }

    private func mintDot() throws -> Dot {
        let counter = try UInt64.fetchOne(db.cachedStatement(sql: "UPDATE replica SET counter = counter + 1 RETURNING counter"))
        guard let counter else { throw StoreError(.database("the replica row is missing")) }
        return Dot(replica: replica, counter: counter)
    }

    private func appendToOutbox(_ id: RecordID, _ dot: Dot) throws {
        try db.cachedStatement(sql: "INSERT INTO outbox (recordID, counter) VALUES (?, ?)").execute(arguments: [id.rawValue, dot.counter])
    }
}

extension RecordKind {
    /// The word shown to people.
    public var displayName: String {
        switch self {
        case .customer: "customer"
        case .note: "note"
        case .promise: "promise"
        case .followUp: "follow-up"
        case .purchase: "purchase"
        case .survey: "survey"
        case .shop: "shop settings"
        }
    }
}
