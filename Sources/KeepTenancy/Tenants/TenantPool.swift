import KeepProtocol
public import KeepStore
public import Logging
public import ServiceLifecycle
import Synchronization

/// The shops' stores the server holds open: at most `capacity` at once, the least recently used closed first.
///
/// A store is leased for the length of one request and is never closed under a lease; a request that needs
/// a new store while every open one is leased waits for a lease to end. So a server with 10,000 shops holds
/// at most `capacity` of them open. As a `Service`, it closes every store when the server shuts down.
public final class TenantPool: Sendable {
    /// The most stores open at once.
    public let capacity: Int
    /// Shops sync in turns, so a pool smaller than the number of busy shops misses on nearly every request (least
    /// recently used is the one needed next), and reopening a store cost a small sync 40% of its time. A thousand
    /// small shops' stores open took 290 MB and 3,100 files (BENCHMARKS.md).
    public static let defaultCapacity = 1_024
    private let dataRoot: DataRoot
    private let logger: Logger
    private let state: Mutex<State>

    public init(dataRoot: DataRoot, capacity: Int = defaultCapacity, logger: Logger) {
        precondition(capacity > 0, "a tenant pool holds at least one store")
        self.dataRoot = dataRoot
        self.capacity = capacity
        self.logger = logger
        self.state = Mutex(State(capacity: capacity))
    }

    /// Runs `body` (blocking work) on the thread pool with the shop's store, opening it if needed.
    public func withStore<T: Sendable>(_ tenant: TenantSlug, _ body: @escaping @Sendable (ReplicaStore) throws -> T) async throws -> T {
        let store = try await lease(tenant)
        defer { release(tenant) }
        return try await BlockingWork.run { try body(store) }
    }

    /// How many stores are open (or being opened) now.
    public var openCount: Int { state.withLock { $0.entries.count } }

    /// The most stores ever open at once.
    public var peakOpenCount: Int { state.withLock { $0.peak } }

    /// Closes every store that no request holds.
    public func closeIdle() async {
        let idle = state.withLock { state in state.removeIdle() }
        guard !idle.isEmpty else { return }
        do {
            try await BlockingWork.run { [logger] in
                for store in idle { Self.close(store, logger: logger) }
            }
            logger.debug("closed idle tenant stores", metadata: ["count": "\(idle.count)"])
        } catch {
            logger.warning("could not close idle tenant stores", metadata: ["error": "\(error)"])
        }
    }

    // MARK: Leases

    private func lease(_ tenant: TenantSlug) async throws -> ReplicaStore {
        while true {
            let step = await withCheckedContinuation { (continuation: CheckedContinuation<State.Step, Never>) in
                state.withLock { state in
                    let step = state.reserve(tenant)
                    if case .wait = step {
                        state.waiters.append(continuation)
                    } else {
                        continuation.resume(returning: step)
                    }
                }
            }
            switch step {
            case .ready(let store):
                return store
            case .wait:
                continue
            case .open(let evicted):
                return try await open(tenant, closing: evicted)
            }
        }
    }

    /// Opens a store for the lease already reserved, after closing the store it evicts (so the bound holds).
    private func open(_ tenant: TenantSlug, closing evicted: ReplicaStore?) async throws -> ReplicaStore {
        let path = dataRoot.storePath(of: tenant)
        do {
            let store = try await BlockingWork.run { [logger] in
                if let evicted { Self.close(evicted, logger: logger) }
                // The server never migrates on its own: `keep-server migrate` does, after a backup.
                return try ReplicaStore.open(at: path, migrating: false, oneConnection: true)
            }
            state.withLock { state in state.opened(tenant, store) }
            return store
        } catch {
            state.withLock { state in state.failedToOpen(tenant) }
            guard let error = error as? StoreError, error.isSchemaMismatch else { throw error }
            logger.error(
                "refusing to serve a shop whose store schema this server does not run",
                metadata: ["tenant": "\(tenant)", "error": "\(error)", "fix": "keep-server migrate --tenant \(tenant), or run a newer keep-server"]
            )
            throw SyncError.unavailable("this shop's store is being upgraded on the server: try again later; nothing was changed")
        }
    }

    private func release(_ tenant: TenantSlug) {
        state.withLock { state in state.release(tenant) }
    }

    private static func close(_ store: ReplicaStore, logger: Logger) {
        do {
            try store.close()
        } catch {
            logger.warning("could not close a tenant store", metadata: ["path": "\(store.path)", "error": "\(error)"])
        }
    }

    // MARK: State

    private struct State {
        struct Entry {
            /// Nil while the store is being opened.
            var store: ReplicaStore?
            var leases: Int
            var lastUsed: UInt64
        }

        enum Step {
            case ready(ReplicaStore)
            /// The caller holds a lease on a new entry and must open it, closing `evicted` first.
            case open(evicted: ReplicaStore?)
            /// Nothing to do until a lease ends or a store opens: try again when woken.
            case wait
        }

        let capacity: Int
        var entries: [TenantSlug: Entry] = [:]
        var clock: UInt64 = 0
        var peak = 0
        var waiters: [CheckedContinuation<Step, Never>] = []

        init(capacity: Int) {
            self.capacity = capacity
        }

        mutating func reserve(_ tenant: TenantSlug) -> Step {
            clock += 1
            if var entry = entries[tenant] {
                guard let store = entry.store else { return .wait }
                entry.leases += 1
                entry.lastUsed = clock
                entries[tenant] = entry
                return .ready(store)
            }
            var evicted: ReplicaStore?
            if entries.count >= capacity {
                // Entries being opened hold a lease, so an idle entry always has a store.
                guard let victim = entries.filter({ $0.value.leases == 0 }).min(by: { $0.value.lastUsed < $1.value.lastUsed }) else {
                    return .wait
                }
                evicted = entries.removeValue(forKey: victim.key)?.store
            }
            entries[tenant] = Entry(store: nil, leases: 1, lastUsed: clock)
            peak = max(peak, entries.count)
            return .open(evicted: evicted)
        }

        mutating func opened(_ tenant: TenantSlug, _ store: ReplicaStore) {
            entries[tenant]?.store = store
            wakeWaiters()
        }

        mutating func failedToOpen(_ tenant: TenantSlug) {
            entries[tenant] = nil
            wakeWaiters()
        }

        mutating func release(_ tenant: TenantSlug) {
            clock += 1
            entries[tenant]?.leases -= 1
            entries[tenant]?.lastUsed = clock
            wakeWaiters()
        }

        mutating func removeIdle() -> [ReplicaStore] {
            let idle = entries.filter { $0.value.leases == 0 }
            for key in idle.keys { entries[key] = nil }
            wakeWaiters()
            return idle.values.compactMap(\.store)
        }

        private mutating func wakeWaiters() {
            let woken = waiters
            waiters = []
            for waiter in woken { waiter.resume(returning: .wait) }
        }
    }
}

extension TenantPool: Service {
    /// Waits for the server to shut down, then closes every store.
    public func run() async throws {
        try? await gracefulShutdown()
        await closeIdle()
    }
}
