import KeepProtocol
import KeepTenancy
import Synchronization

/// The requests in flight per device and per shop, and the request bodies being read into memory: what one
/// laptop's runaway loop or a hostile client meets before it can exhaust the server for the other shops.
///
/// A laptop syncs one request at a time, so a device's bounds are far above what `keep` uses; a shop's bound lets
/// its laptops sync at once. Bodies count against a budget for the whole server as well as per device: 64 held
/// bodies of one device once took the server from 49 MiB to 1.1 GiB.
final class InFlight: Sendable {
    /// The bounds, which `keep-server serve` sets.
    struct Bounds: Sendable, Hashable {
        var requestsPerDevice = 4
        var requestsPerShop = 32
        /// Request bodies one device may have being read at once.
        var bodiesPerDevice = 2
        /// Bytes of request bodies the whole server holds in memory at once.
        var bufferedBytes = 256 << 20
    }

    let bounds: Bounds
    private let state = Mutex(State())

    private struct State {
        var requestsByDevice: [DeviceID: Int] = [:]
        var requestsByShop: [TenantSlug: Int] = [:]
        var bodiesByDevice: [DeviceID: Int] = [:]
        var bufferedBytes = 0
    }

    init(bounds: Bounds = Bounds()) {
        self.bounds = bounds
    }

    /// Runs one request of `device`, or refuses it with 429 while the device or its shop has too many in flight.
    func request<T>(of device: AuthenticatedDevice, _ body: () async throws -> T) async throws -> T {
        try state.withLock { state throws(SyncError) in
            if state.requestsByDevice[device.id, default: 0] >= bounds.requestsPerDevice {
                throw SyncError(
                    code: .tooManyRequests,
                    message:
                        "this device has \(bounds.requestsPerDevice) requests in flight already: wait for their answers, then sync again; nothing was changed"
                )
            }
            if state.requestsByShop[device.tenant, default: 0] >= bounds.requestsPerShop {
                throw SyncError(
                    code: .tooManyRequests,
                    message: "this shop's devices have \(bounds.requestsPerShop) requests in flight: sync again in a moment; nothing was changed"
                )
            }
            state.requestsByDevice[device.id, default: 0] += 1
            state.requestsByShop[device.tenant, default: 0] += 1
        }
        defer {
            state.withLock { state in
                state.requestsByDevice[device.id] = Self.decremented(state.requestsByDevice[device.id])
                state.requestsByShop[device.tenant] = Self.decremented(state.requestsByShop[device.tenant])
            }
        }
        return try await body()
    }

    /// Reads a body for `device` within the budgets, holding `bytes` (what it says it sends) from the start, or
    /// refuses before reading anything: 429 when the device already has its bodies in flight, 503 when the server
    /// holds its budget of bodies. `read` resizes the reservation to what it really holds once it knows (a gzip body
    /// inflated); it is released when `read` returns.
    func body<T>(of device: AuthenticatedDevice, bytes: Int, _ read: (BodyReservation) async throws -> T) async throws -> T {
        try state.withLock { state throws(SyncError) in
            if state.bodiesByDevice[device.id, default: 0] >= bounds.bodiesPerDevice {
                throw SyncError(
                    code: .tooManyRequests,
                    message: "this device is sending \(bounds.bodiesPerDevice) pushes already: wait for their answers; nothing was changed"
                )
            }
            try Self.take(bytes, from: &state, within: bounds)
            state.bodiesByDevice[device.id, default: 0] += 1
        }
        let reservation = BodyReservation(of: self, holding: bytes)
        defer {
            let held = reservation.release()
            state.withLock { state in
                state.bodiesByDevice[device.id] = Self.decremented(state.bodiesByDevice[device.id])
                state.bufferedBytes -= held
            }
        }
        return try await read(reservation)
    }

    /// Changes the bytes a body holds by `change`: a growth beyond the budget is refused with 503.
    fileprivate func adjust(by change: Int) throws(SyncError) {
        try state.withLock { state throws(SyncError) in
            if change > 0 {
                try Self.take(change, from: &state, within: bounds)
            } else {
                state.bufferedBytes += change
            }
        }
    }

    private static func take(_ bytes: Int, from state: inout State, within bounds: Bounds) throws(SyncError) {
        if state.bufferedBytes + bytes > bounds.bufferedBytes {
            throw SyncError.unavailable("the server is receiving as much as it holds at once: sync again in a moment; nothing was changed")
        }
        state.bufferedBytes += bytes
    }

    /// Bytes of bodies being read now.
    var bufferedBytes: Int { state.withLock { $0.bufferedBytes } }

    /// One less, and nil (no entry) at zero, so that the tables hold only devices and shops with requests now.
    private static func decremented(_ count: Int?) -> Int? {
        guard let count, count > 1 else { return nil }
        return count - 1
    }
}

/// The bytes one request body counts against the server's budget, from its start to its answer.
final class BodyReservation: Sendable {
    private let inFlight: InFlight
    private let held: Mutex<Int>

    fileprivate init(of inFlight: InFlight, holding bytes: Int) {
        self.inFlight = inFlight
        held = Mutex(bytes)
    }

    /// Holds `bytes` from now on instead of what it held: more is refused with 503 when over the budget.
    func resize(to bytes: Int) throws(SyncError) {
        try held.withLock { held throws(SyncError) in
            try inFlight.adjust(by: bytes - held)
            held = bytes
        }
    }

    /// Stops counting; returns what it held, for the budget to give back.
    fileprivate func release() -> Int {
        held.withLock { held in
            defer { held = 0 }
            return held
        }
    }
}
