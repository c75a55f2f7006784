public import KeepCore
public import KeepWire

/// The binding rule of PROTOCOL.md §3, once for every ``DeviceDirectory``: why a device may not push as a replica.
public enum DeviceBinding {
    /// Why a device may not push as `replica`, or nil when it may: `unauthorized` when it is revoked;
    /// `replica_mismatch` when it is bound to another replica, or when `replica` is or was bound to another
    /// device of its shop (a replica id is never reused, MERGE.md §2.1).
    ///
    /// - Parameter otherHolderIsRevoked: whether the other device of the shop that holds `replica` is revoked, or
    ///   nil when no other device holds it; asked only for a device not bound yet.
    public static func problem(
        binding replica: ReplicaID,
        isRevoked: Bool,
        boundReplica: ReplicaID?,
        otherHolderIsRevoked: () throws -> Bool?
    ) rethrows -> SyncError? {
        guard !isRevoked else { return .unauthorized }
        if let boundReplica { return boundReplica == replica ? nil : .boundToAnotherReplica(boundReplica) }
        return try otherHolderIsRevoked().map { .replicaTaken(replica, byRevokedDevice: $0) }
    }
}

extension SyncError {
    /// The device's token is bound to another store.
    public static func boundToAnotherReplica(_ bound: ReplicaID) -> SyncError {
        SyncError(
            code: .replicaMismatch,
            message:
                "this device's token is bound to another store (replica \(bound)): ask the server's operator for a new device token and log in again"
        )
    }

    /// Another device of the shop has, or had, this replica id; replica ids are never reused (MERGE.md §2.1).
    public static func replicaTaken(_ replica: ReplicaID, byRevokedDevice revoked: Bool) -> SyncError {
        let holder = revoked ? "a revoked device of this shop" : "another device of this shop"
        return SyncError(
            code: .replicaMismatch,
            message: "replica \(replica) belongs to \(holder), and a replica id is never reused: each laptop needs its own store, made by `keep init`"
        )
    }
}
