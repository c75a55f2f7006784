import GRDB
public import KeepCore
public import KeepProtocol

/// The catalog is the push's directory of devices (PROTOCOL.md §3 "Binding", §5.2 "Relayed writes after a restore").
extension Catalog: DeviceDirectory {
    public func checkBinding(of device: DeviceID, to replica: ReplicaID) throws(SyncError) {
        let problem = try syncErrors { () throws(KeepServerError) in try read { db in try Self.bindingProblem(device, to: replica, db).problem } }
        if let problem { throw problem }
    }

    public func bind(_ device: DeviceID, to replica: ReplicaID, pushing counter: UInt64) throws(SyncError) {
        let problem = try syncErrors { () throws(KeepServerError) in
            try write { db -> SyncError? in
                let (row, problem) = try Self.bindingProblem(device, to: replica, db)
                guard var row, problem == nil else { return problem }
                if row.replica == nil {
                    row.replica = replica
                    try row.update(db)
                }
                // SQLite integers are signed; a counter beyond that range cannot have been minted by a real store.
                if counter > 0, let value = Int64(exactly: counter) {
                    try db.execute(
                        sql: "UPDATE device SET pushedCounter = ? WHERE id = ? AND pushedCounter < ?",
                        arguments: [value, device.rawValue, value]
                    )
                }
                return nil
            }
        }
        if let problem { throw problem }
    }

    /// How far each replica of the device's shop is known to have written: the highest counter each of its devices,
    /// revoked ones included, has pushed. What a restored store may accept relayed (see ``Authorship``).
    public func pushedCounters(ofShopOf device: DeviceID) throws(SyncError) -> VersionVector {
        try syncErrors { () throws(KeepServerError) in
            try read { db in
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT replica, MAX(pushedCounter) AS counter FROM device
                        WHERE tenant = (SELECT tenant FROM device WHERE id = ?) AND replica IS NOT NULL GROUP BY replica
                        """,
                    arguments: [device.rawValue]
                )
                var counters: [ReplicaID: UInt64] = [:]
                for row in rows {
                    guard let replica = ReplicaID(row["replica"] as String), let counter = UInt64(exactly: row["counter"] as Int64) else { continue }
                    counters[replica] = counter
                }
                return VersionVector(counters)
            }
        }
    }

    /// The device's row, and why it may not push as `replica`: revoked, bound to another replica, or `replica`
    /// held by another device of its shop, a revoked one included (a replica id is never reused).
    private static func bindingProblem(_ device: DeviceID, to replica: ReplicaID, _ db: Database) throws -> (row: Device?, problem: SyncError?) {
        guard let row = try Device.fetchOne(db, key: device.rawValue) else { return (nil, .unauthorized) }
        let problem = try DeviceBinding.problem(binding: replica, isRevoked: row.isRevoked, boundReplica: row.replica) {
            try Device.all().of(row.tenant).bound(to: replica).filter(Device.Columns.id != device.rawValue).fetchOne(db)?.isRevoked
        }
        return (row, problem)
    }

    /// The catalog's own failures, as the push reports them: busy is worth a retry, anything else is the server's.
    private func syncErrors<T>(_ body: () throws(KeepServerError) -> T) throws(SyncError) -> T {
        do {
            return try body()
        } catch {
            throw error.isTemporary
                ? .unavailable("the server's catalog is busy: try again in a moment")
                : .internalError("the server could not read its catalog; nothing was changed: try again later")
        }
    }
}
