public import Foundation
import GRDB
public import KeepCore

/// What `keep customer merge` did.
public struct CustomerMergeReport: Sendable, Hashable {
    /// The records about the merged customer now about the kept one, by kind.
    public var moved: [RecordKind: Int] = [:]
    /// The kept customer's fields that were empty and were filled from the merged one.
    public var filled: [String] = []
    /// The merged customer's values that differed from the kept one's: written down in a note on the kept customer.
    public var keptInNote: [String] = []
}

extension LocalWriter {
    /// Makes two records of one person one: every record about `other` is written to be about `kept`, `kept`'s empty
    /// fields take `other`'s values (and a note keeps those that differ), and `other` is marked merged into `kept` and
    /// deleted. A record about `other` that another laptop writes before it hears of the merge is shown under `kept`
    /// on every replica (Sync/SCHEMA.md, merged customers).
    public func mergeCustomer(_ other: RecordID, into kept: RecordID) throws -> CustomerMergeReport {
        guard other != kept else { throw StoreError.invalid("\(kept.short) is one customer: name two records to merge") }
        let keptCustomer = try liveCustomer(kept)
        let otherCustomer = try liveCustomer(other)
        var report = CustomerMergeReport()
        for kind in CustomerRedirects.customerKinds {
            let ids = try String.fetchAll(
                db,
                sql: "SELECT id FROM \(Projection.table(for: kind)) WHERE customerID = ? ORDER BY id",
                arguments: [other.rawValue]
            )
            for id in ids.compactMap(RecordID.init) {
                try update(id, kind: kind, [Note.Field.customer: .text(kept.rawValue)])
            }
            if !ids.isEmpty { report.moved[kind] = ids.count }
        }
        var filling: [String: FieldValue] = [:]
        var differing: [String] = []
        for (field, label, keptValue, otherValue) in [
            (Customer.Field.phone, "phone", keptCustomer.phone, otherCustomer.phone),
            (Customer.Field.email, "e-mail", keptCustomer.email, otherCustomer.email),
        ] {
            guard let otherValue, !otherValue.isEmpty, otherValue != keptValue else { continue }
            if keptValue?.isEmpty ?? true {
                filling[field] = .text(otherValue)
                report.filled.append(label)
            } else {
                differing.append("\(label) \(otherValue)")
            }
        }
        if otherCustomer.name != keptCustomer.name { differing.insert("name \(otherCustomer.name)", at: 0) }
        if otherCustomer.createdAt < keptCustomer.createdAt { filling[Customer.Field.createdAt] = .time(otherCustomer.createdAt) }
        if !filling.isEmpty { try update(kept, kind: .customer, filling) }
        // Nothing of the merged record is lost from sight: what differs is written where people read.
        if !differing.isEmpty {
            report.keptInNote = differing
            try create(
                .note,
                Note.creation(
                    customer: kept,
                    kind: .note,
                    channel: nil,
                    text: "Merged with another record of this customer (\(other.short)): " + differing.joined(separator: ", "),
                    author: agent,
                    at: now
                )
            )
        }
        try update(other, kind: .customer, [Customer.Field.mergedInto: .text(kept.rawValue)])
        try delete(other, kind: .customer)
        return report
    }

    private func liveCustomer(_ id: RecordID) throws -> Customer {
        let state = try liveRecord(id, kind: .customer)
        guard state.value(Customer.Field.forgottenAt)?.integer == nil else {
            throw StoreError.invalid("customer \(id.short) was forgotten: there is nothing of theirs left to merge")
        }
        guard let customer = Customer(record: state) else {
            throw StoreError.invalid("customer \(id.short) cannot be read (keep check names why): settle it before merging")
        }
        return customer
    }
}
