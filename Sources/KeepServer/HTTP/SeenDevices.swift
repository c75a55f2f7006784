import Foundation
import KeepTenancy
import Synchronization

/// When each device was last recorded as seen, so that the catalog is written at most once a minute per device
/// rather than on every request.
final class SeenDevices: Sendable {
    private let recorded = Mutex<[DeviceID: Date]>([:])
    static let interval: TimeInterval = 60

    /// Whether a request of `device` at `now` should be written to the catalog; claims it when so.
    func shouldRecord(_ device: DeviceID, at now: Date) -> Bool {
        recorded.withLock { recorded in
            if let last = recorded[device], now.timeIntervalSince(last) < Self.interval { return false }
            recorded[device] = now
            return true
        }
    }
}
