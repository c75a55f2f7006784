import Foundation
public import KeepCore
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
///
/// A store is held under its shop's slug and the replica id the catalog names for it, so that a slug deleted and
/// created again (from the operator's shell while the server runs) is served from the new shop's store, never from
/// the old one still open: a lease checks the id of the store it hands out.
///
/// A store found damaged (by the quick check made when it is opened, or by an error of a request) is taken out of
/// service for its shop only: its requests get 503 `store_damaged` until the file changes (the operator restored
/// it), when it is opened and checked again.
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
    private let lanes = ShopLanes()

    public init(dataRoot: DataRoot, capacity: Int = defaultCapacity, logger: Logger) {
        precondition(capacity > 0, "a tenant pool holds at least one store")
        self.dataRoot = dataRoot
        self.capacity = capacity
        self.logger = logger
        self.state = Mutex(State(capacity: capacity))
    }

    /// Runs `body` (blocking work) on the thread pool with the shop's store, opening it if needed.
    /// - Parameter replica: the replica id the catalog names for the shop's store now.
    public func withStore<T: Sendable>(
        _ tenant: TenantSlug,
        replica: ReplicaID,
        _ body: @escaping @Sendable (ReplicaStore) throws -> T
    ) async throws -> T {
        try await refuseIfDamaged(tenant)
        try await lanes.enter(tenant)
        defer { lanes.leave(tenant) }
        let key = StoreKey(tenant: tenant, replica: replica)
        let store = try await lease(key)
        defer { release(key) }
        do {
            return try await BlockingWork.run { try body(store) }
        } catch let error as SyncError where error.code == .storeDamaged {
            markDamaged(tenant, detail: "a request failed on it")
            throw error
        }
    }

    /// How many shops' stores are out of service because they were found damaged.
    public var damagedCount: Int { state.withLock { $0.damaged.count } }

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

    private func lease(_ key: StoreKey) async throws -> ReplicaStore {
        while true {
            let step = await withCheckedContinuation { (continuation: CheckedContinuation<State.Step, Never>) in
                state.withLock { state in
                    let step = state.reserve(key)
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
                return try await open(key, closing: evicted)
            }
        }
    }

    /// Opens a store for the lease already reserved, after closing the stores it evicts (so the bound holds).
    private func open(_ key: StoreKey, closing evicted: [ReplicaStore]) async throws -> ReplicaStore {
        let tenant = key.tenant
        let path = dataRoot.storePath(of: tenant)
        do {
            let store = try await BlockingWork.run { [logger] in
                for store in evicted { Self.close(store, logger: logger) }
                // The server never migrates on its own: `keep-server migrate` does, after a backup.
                let store = try ReplicaStore.open(at: path, migrating: false, oneConnection: true)
                do {
                    guard store.replicaID == key.replica else { throw StoreMismatch(found: store.replicaID) }
                    try store.checkNotDamaged()
                } catch {
                    Self.close(store, logger: logger)
                    throw error
                }
                return store
            }
            state.withLock { state in state.opened(key, store) }
            return store
        } catch let mismatch as StoreMismatch {
            state.withLock { state in state.failedToOpen(key) }
            logger.error(
                "refusing to serve a shop whose store is not the one the catalog names",
                metadata: [
                    "tenant": "\(tenant)", "path": "\(path)", "catalogReplica": "\(key.replica)", "storeReplica": "\(mismatch.found)",
                    "fix": "restore the shop's own store (keep-server restore), or check the data root",
                ]
            )
            throw SyncError.unavailable("this shop's store on the server is being replaced: try again later; nothing was changed")
        } catch let error as StoreError where error.isDamage {
            state.withLock { state in state.failedToOpen(key) }
            markDamaged(tenant, detail: error.description)
            throw SyncError.storeDamaged
        } catch {
            state.withLock { state in state.failedToOpen(key) }
            guard let error = error as? StoreError, error.isSchemaMismatch else { throw error }
            logger.error(
                "refusing to serve a shop whose store schema this server does not run",
                metadata: ["tenant": "\(tenant)", "error": "\(error)", "fix": "keep-server migrate --tenant \(tenant), or run a newer keep-server"]
            )
            throw SyncError.unavailable("this shop's store is being upgraded on the server: try again later; nothing was changed")
        }
    }

    private func release(_ key: StoreKey) {
        state.withLock { state in state.release(key) }
    }

    // MARK: Damaged stores

    /// Refuses a shop whose store was found damaged, unless its file has changed since: then it is closed, so
    /// that the next lease opens and checks it again.
    private func refuseIfDamaged(_ tenant: TenantSlug) async throws {
        let path = dataRoot.storePath(of: tenant)
        let stale = try state.withLock { state throws(SyncError) -> [ReplicaStore] in
            guard let found = state.damaged[tenant] else { return [] }
            guard found == FileStamp(storeAt: path) else {
                state.damaged[tenant] = nil
                return state.removeIdle(of: tenant)
            }
            throw SyncError.storeDamaged
        }
        guard !stale.isEmpty else { return }
        logger.notice(
            "checking a shop's store again: its file changed since it was found damaged",
            metadata: ["tenant": "\(tenant)", "path": "\(path)"]
        )
        try await BlockingWork.run { [logger] in
            for store in stale { Self.close(store, logger: logger) }
        }
    }

    private func markDamaged(_ tenant: TenantSlug, detail: String) {
        let path = dataRoot.storePath(of: tenant)
        let isNew = state.withLock { state in state.damaged.updateValue(FileStamp(storeAt: path), forKey: tenant) == nil }
        guard isNew else { return }
        logger.error(
            "a shop's store is damaged: its requests are refused until it is restored",
            metadata: [
                "tenant": "\(tenant)", "path": "\(path)", "detail": "\(detail)",
                "fix": "keep-server check --tenant \(tenant), then keep-server restore --tenant \(tenant) --from BACKUP",
            ]
        )
    }

    private static func close(_ store: ReplicaStore, logger: Logger) {
        do {
            try store.close()
        } catch {
            logger.warning("could not close a tenant store", metadata: ["path": "\(store.path)", "error": "\(error)"])
        }
    }

    // MARK: State

    /// A shop's store as the catalog names it now.
    private struct StoreKey: Hashable {
        let tenant: TenantSlug
        let replica: ReplicaID
    }

    /// The file at the shop's path is another store than the catalog names.
    private struct StoreMismatch: Error {
        let found: ReplicaID
    }

    /// A store's files as they are on disk, so that a restore (which rewrites them) is noticed.
    private struct FileStamp: Hashable {
        let files: [[FileAttributeKey: AnyHashable]]

        init(storeAt path: String) {
            files = [path, path + "-wal"].map { file in
                let attributes = (try? FileManager.default.attributesOfItem(atPath: file)) ?? [:]
                return attributes.filter { [.size, .modificationDate, .systemFileNumber].contains($0.key) }.compactMapValues { $0 as? AnyHashable }
            }
        }
    }

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
            case open(evicted: [ReplicaStore])
            /// Nothing to do until a lease ends or a store opens: try again when woken.
            case wait
        }

        let capacity: Int
        var entries: [StoreKey: Entry] = [:]
        var clock: UInt64 = 0
        var peak = 0
        var waiters: [CheckedContinuation<Step, Never>] = []
        /// Shops whose store was found damaged, with its files as they were then.
        var damaged: [TenantSlug: FileStamp] = [:]

        init(capacity: Int) {
            self.capacity = capacity
        }

        mutating func reserve(_ key: StoreKey) -> Step {
            clock += 1
            if var entry = entries[key] {
                guard let store = entry.store else { return .wait }
                entry.leases += 1
                entry.lastUsed = clock
                entries[key] = entry
                return .ready(store)
            }
            // Entries being opened hold a lease, so an idle entry always has a store. An idle store of the same
            // slug under another replica id is a deleted or replaced shop's: close it now.
            var evicted = removeIdle(of: key.tenant)
            if entries.count >= capacity {
                guard let victim = entries.filter({ $0.value.leases == 0 }).min(by: { $0.value.lastUsed < $1.value.lastUsed }) else {
                    return .wait
                }
                evicted += [entries.removeValue(forKey: victim.key)?.store].compactMap { $0 }
            }
            entries[key] = Entry(store: nil, leases: 1, lastUsed: clock)
            peak = max(peak, entries.count)
            return .open(evicted: evicted)
        }

        mutating func opened(_ key: StoreKey, _ store: ReplicaStore) {
            entries[key]?.store = store
            wakeWaiters()
        }

        mutating func failedToOpen(_ key: StoreKey) {
            entries[key] = nil
            wakeWaiters()
        }

        mutating func release(_ key: StoreKey) {
            clock += 1
            entries[key]?.leases -= 1
            entries[key]?.lastUsed = clock
            wakeWaiters()
        }

        /// Takes out the idle stores of one shop, to be closed.
        mutating func removeIdle(of tenant: TenantSlug) -> [ReplicaStore] {
            let idle = entries.filter { $0.key.tenant == tenant && $0.value.leases == 0 }
            for key in idle.keys { entries[key] = nil }
            return idle.values.compactMap(\.store)
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
