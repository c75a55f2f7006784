import Foundation
import Synchronization

/// Counts requests per key (a device, an address) in fixed one-minute windows.
///
/// Bounded: at most `maxKeys` keys are tracked; when full, windows that have ended are dropped first, and if
/// none has, the new key is refused (which only an attack from that many addresses at once can cause).
final class RateLimiter: Sendable {
    private struct Window {
        var start: Date
        var count: Int
    }

    private let state = Mutex<[String: Window]>([:])
    private let window: TimeInterval
    private let maxKeys: Int

    init(window: TimeInterval = 60, maxKeys: Int = 100_000) {
        self.window = window
        self.maxKeys = maxKeys
    }

    /// Counts one request for `key` and says whether it is within `limit` requests per window.
    func allow(_ key: String, limit: Int, now: Date = Date()) -> Bool {
        state.withLock { windows in
            if var current = windows[key], now.timeIntervalSince(current.start) < window {
                guard current.count < limit else { return false }
                current.count += 1
                windows[key] = current
                return true
            }
            if windows.count >= maxKeys {
                windows = windows.filter { now.timeIntervalSince($0.value.start) < window }
                guard windows.count < maxKeys else { return false }
            }
            windows[key] = Window(start: now, count: 1)
            return limit > 0
        }
    }

    /// Seconds until `key`'s window ends, for a `Retry-After` header.
    func retryAfter(_ key: String, now: Date = Date()) -> Int {
        state.withLock { windows in
            guard let current = windows[key] else { return 1 }
            return max(1, Int((window - now.timeIntervalSince(current.start)).rounded(.up)))
        }
    }
}
