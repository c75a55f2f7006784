import Foundation
import GRDB
import KeepCore

// The shop's questions as requests on the tables of ModelRows.swift, so that queries read like the shop's words and
// statuses come from the model's enums, not from string literals.

extension DerivableRequest<Promise> {
    /// Promises neither kept nor cancelled.
    func open() -> Self { filter(Promise.Columns.status == Promise.Status.open) }

    /// Promises about one customer.
    func about(_ customer: RecordID) -> Self { filter(Promise.Columns.customerID == customer) }

    /// Open promises past their due time.
    func overdue(at now: Date) -> Self { open().filter(Promise.Columns.dueAt < now.epochMilliseconds) }

    /// Soonest due first.
    func bySoonestDue() -> Self { order(Promise.Columns.dueAt, Promise.Columns.id) }
}

extension DerivableRequest<FollowUp> {
    /// Follow-ups neither done nor cancelled.
    func open() -> Self { filter(FollowUp.Columns.status == FollowUp.Status.open) }

    /// Follow-ups about one customer.
    func about(_ customer: RecordID) -> Self { filter(FollowUp.Columns.customerID == customer) }

    /// Follow-ups the purchase rule made.
    func automatic() -> Self { filter(FollowUp.Columns.purchaseID != nil) }

    /// Soonest due first.
    func bySoonestDue() -> Self { order(FollowUp.Columns.dueAt, FollowUp.Columns.id) }
}

extension DerivableRequest<Note> {
    /// Inquiries and complaints not yet answered: the condition of the partial index `note_replies_owed`, written as
    /// literal SQL (built from ``Note/Kind/owesReply``) because SQLite uses a partial index only for a query whose
    /// condition states the index's own, and bound values do not.
    func owingReply() -> Self { filter(sql: Note.owesReplySQL) }

    /// Owed a reply, and waiting on the customer (true) or not (false).
    func waitingOnCustomer(_ waiting: Bool) -> Self { filter(waiting ? Note.Columns.waitingSince != nil : Note.Columns.waitingSince == nil) }

    /// Notes about one customer.
    func about(_ customer: RecordID) -> Self { filter(Note.Columns.customerID == customer) }

    /// Oldest first.
    func chronological() -> Self { order(Note.Columns.at, Note.Columns.id) }
}

extension Note {
    /// `kind IN ('inquiry', 'complaint') AND answeredAt IS NULL`.
    static let owesReplySQL: String = {
        let kinds = Note.Kind.allCases.filter(\.owesReply).map { "'\($0.rawValue)'" }.joined(separator: ", ")
        return "\(Columns.kind.name) IN (\(kinds)) AND \(Columns.answeredAt.name) IS NULL"
    }()
}

extension DerivableRequest<Customer> {
    /// By name as people read it, ignoring case and accents.
    func byName() -> Self { order(Customer.Columns.nameFolded, Customer.Columns.id) }
}
