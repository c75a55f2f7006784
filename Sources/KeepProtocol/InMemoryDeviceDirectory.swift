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
        guard let entry = devices[device] else { return .unauthorized }
        return DeviceBinding.problem(binding: replica, isRevoked: entry.isRevoked, boundReplica: entry.replica) {
            devices.first { name, other in name != device && other.replica == replica }?.value.isRevoked
        }
    }
}
