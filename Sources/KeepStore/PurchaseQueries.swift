public import Foundation
import GRDB
public import KeepCore

extension ReplicaStore {
    public func purchase(_ id: RecordID) throws(StoreError) -> Purchase? {
        try read { db in try Purchase.fetchOne(db, key: id) }
    }

    /// Purchases, newest first; one customer's when `customer` is given.
    public func purchases(customer: RecordID? = nil, limit: Int = 1_000) throws(StoreError) -> [Purchase] {
        var request = Purchase.order(Purchase.Columns.at.desc, Purchase.Columns.id).limit(limit)
        if let customer { request = request.filter(Purchase.Columns.customerID == customer) }
        return try read { db in try request.fetchAll(db) }
    }

    public func survey(_ id: RecordID) throws(StoreError) -> Survey? {
        try read { db in try Survey.fetchOne(db, key: id) }
    }

    /// Surveys answered in `[from, to)`, oldest first.
    public func surveys(from: Date = .distantPast, to: Date = .distantFuture) throws(StoreError) -> [Survey] {
        let (from, to) = (from.epochMilliseconds, min(to, Date(epochMilliseconds: Int64.max / 2)).epochMilliseconds)
        return try read { db in
            try Survey.filter(Survey.Columns.at >= from && Survey.Columns.at < to).order(Survey.Columns.at, Survey.Columns.id).fetchAll(db)
        }
    }
}
