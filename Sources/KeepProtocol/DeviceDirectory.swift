public import KeepCore
public import KeepWire

/// What the push needs of the server's directory of shops and devices (its catalog), whatever database holds it:
/// binding a device to the replica it pushes as, and how far each replica of the shop has written.
///
/// The directory and the shop's store are two databases. The push writes the directory last, inside the store's
/// open transaction, so a refused push writes neither; PROTOCOL.md §5.2 says what a crash between the two commits
/// leaves, and why that is safe.
public protocol DeviceDirectory: Sendable {
    /// How the directory names a device.
    associatedtype DeviceKey: Sendable

    /// Refuses, writing nothing, a push by `device` as `replica`: `unauthorized` when the device was revoked
    /// meanwhile; `replica_mismatch` when it is bound to another replica, or when `replica` is or was bound to
    /// another device of its shop (a replica id is never reused, a revoked device's included).
    func checkBinding(of device: DeviceKey, to replica: ReplicaID) throws(SyncError)

    /// Makes the same checks, binds the device to `replica` if it is not bound yet, and raises the device's
    /// pushed counter to `counter` (never lowers it), all in one commit.
    func bind(_ device: DeviceKey, to replica: ReplicaID, pushing counter: UInt64) throws(SyncError)

    /// For each replica of `device`'s shop, the highest counter of its own that its device has pushed.
    func pushedCounters(ofShopOf device: DeviceKey) throws(SyncError) -> VersionVector
}
