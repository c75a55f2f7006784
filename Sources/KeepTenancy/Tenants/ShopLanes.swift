import KeepProtocol
import Synchronization

/// One lane per shop on the blocking pool: at most one request of a shop uses its store at a time, the others
/// wait without holding a thread.
///
/// A shop's store on the server is one SQLite connection, so a second request of the same shop could only block
/// a pool thread waiting for the first. Without lanes, one laptop's two dozen concurrent pushes took every thread
/// of the pool, and another shop's `hello` waited seven seconds behind them; with them, a flooding shop queues
/// behind itself. A lane holds at most `maxWaiting` requests; more are refused, so a flood cannot queue without
/// bound either.
final class ShopLanes: Sendable {
    /// Requests of one shop waiting for its lane before more are refused with 503.
    static let maxWaiting = 256

    private struct Lane {
        var busy = false
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    private let lanes = Mutex<[TenantSlug: Lane]>([:])

    /// Waits for the shop's lane; refuses when too many requests of the shop already wait.
    func enter(_ tenant: TenantSlug) async throws(SyncError) {
        let admitted = lanes.withLock { lanes -> Bool? in
            var lane = lanes[tenant, default: Lane()]
            guard lane.busy else {
                lane.busy = true
                lanes[tenant] = lane
                return true
            }
            return lane.waiting.count < Self.maxWaiting ? false : nil
        }
        switch admitted {
        case true?: return
        case nil: throw SyncError.unavailable("this shop's store is busy with many requests at once: try again in a moment; nothing was changed")
        case false?:
            // Between the check above and this lock the lane may have been freed: `leave` then hands it over.
            await withCheckedContinuation { continuation in
                let ready = lanes.withLock { lanes -> Bool in
                    guard lanes[tenant]?.busy == true else {
                        lanes[tenant, default: Lane()].busy = true
                        return true
                    }
                    lanes[tenant]?.waiting.append(continuation)
                    return false
                }
                if ready { continuation.resume() }
            }
        }
    }

    /// Hands the shop's lane to the next waiting request, or frees it.
    func leave(_ tenant: TenantSlug) {
        let next = lanes.withLock { lanes -> CheckedContinuation<Void, Never>? in
            guard var lane = lanes[tenant] else { return nil }
            guard !lane.waiting.isEmpty else {
                lanes[tenant] = nil
                return nil
            }
            let next = lane.waiting.removeFirst()
            lanes[tenant] = lane
            return next
        }
        next?.resume()
    }
}
