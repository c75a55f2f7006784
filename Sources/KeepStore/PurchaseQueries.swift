public import Foundation
import GRDB
public import KeepCore

extension ReplicaStore {
    public func purchase(_ id: RecordID) throws(StoreError) -> Purchase? {
        try read { db in try Purchase.fetchOne(db, sql: "SELECT * FROM purchase WHERE id = ?", arguments: [id]) }
    }

    /// Purchases, newest first; one customer's when `customer` is given.
    public func purchases(customer: RecordID? = nil, limit: Int = 1_000) throws(StoreError) -> [Purchase] {
        try read { db in
            if let customer {
                return try Purchase.fetchAll(
                    db,
                    sql: "SELECT * FROM purchase WHERE customerID = ? ORDER BY at DESC, id LIMIT ?",
                    arguments: [customer.rawValue, limit]
                )
            }
            return try Purchase.fetchAll(db, sql: "SELECT * FROM purchase ORDER BY at DESC, id LIMIT ?", arguments: [limit])
        }
    }

    public func survey(_ id: RecordID) throws(StoreError) -> Survey? {
        try read { db in try Survey.fetchOne(db, sql: "SELECT * FROM survey WHERE id = ?", arguments: [id]) }
    }

    /// Surveys answered in `[from, to)`, oldest first.
    public func surveys(from: Date = .distantPast, to: Date = .distantFuture) throws(StoreError) -> [Survey] {
        try read { db in
            try Survey.fetchAll(
                db,
                sql: "SELECT * FROM survey WHERE at >= ? AND at < ? ORDER BY at, id",
                arguments: [from.epochMilliseconds, min(to, Date(epochMilliseconds: Int64.max / 2)).epochMilliseconds]
            )
        }
    }
}
