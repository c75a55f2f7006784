public import KeepCore
public import KeepWire
import Synchronization

/// A ``DeviceDirectory`` for one shop, held in memory: for a server that lives in one process (the simulation,
/// the merge benchmark, protocol tests), with the same rules as the catalog's. Devices are named by strings.
public final class InMemoryDeviceDirectory: DeviceDirectory {
    private struct Entry {
        var replica: ReplicaID?
        var pushedCounter: UInt64 = 0
        var isRevoked = false
    }

    private let devices: Mutex<[String: Entry]>

    /// A directory of the named devices, none bound yet.
    public init(devices names: [String] = []) {
        devices = Mutex(Dictionary(uniqueKeysWithValues: names.map { ($0, Entry()) }))
    }

    /// Adds a device; a name already present is left as it is.
    public func add(_ device: String) {
        devices.withLock { devices in
            if devices[device] == nil { devices[device] = Entry() }
        }
    }

    /// Revokes a device: its pushes are refused from now on, and its replica stays its own.
    public func revoke(_ device: String) {
        devices.withLock { devices in devices[device]?.isRevoked = true }
    }

    /// The replica `device` is bound to, if any.
    public func replica(of device: String) -> ReplicaID? {
        devices.withLock { devices in devices[device]?.replica }
    }

    public func checkBinding(of device: String, to replica: ReplicaID) throws(SyncError) {
        let problem = devices.withLock { devices in Self.problem(binding: device, to: replica, in: devices) }
        if let problem { throw problem }
    }

    public func bind(_ device: String, to replica: ReplicaID, pushing counter: UInt64) throws(SyncError) {
        let problem = devices.withLock { devices -> SyncError? in
            if let problem = Self.problem(binding: device, to: replica, in: devices) { return problem }
            guard var entry = devices[device] else { return .unauthorized }
            entry.replica = replica
            entry.pushedCounter = max(entry.pushedCounter, counter)
            devices[device] = entry
            return nil
        }
        if let problem { throw problem }
    }

    public func pushedCounters(ofShopOf device: String) throws(SyncError) -> VersionVector {
        devices.withLock { devices in
            var counters: [ReplicaID: UInt64] = [:]
            for entry in devices.values {
                guard let replica = entry.replica, entry.pushedCounter > 0 else { continue }
                counters[replica] = max(counters[replica] ?? 0, entry.pushedCounter)
            }
            return VersionVector(counters)
        }
    }

    private static func problem(binding device: String, to replica: ReplicaID, in devices: [String: Entry]) -> SyncError? {
        guard let entry = devices[device], !entry.isRevoked else { return .unauthorized }
        if let bound = entry.replica {
            return bound == replica ? nil : .boundToAnotherReplica(bound)
        }
        let holder = devices.first { name, other in name != device && other.replica == replica }
        return holder.map { .replicaTaken(replica, byRevokedDevice: $0.value.isRevoked) }
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
