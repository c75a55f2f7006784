public import Foundation
public import KeepCore
public import KeepStore

/// What one sync did.
public struct SyncSummary: Sendable, Hashable {
    /// Records pushed to the server.
    public var sent = 0
    /// Records pulled that changed something here.
    public var received = 0
    /// Records pulled in all, including those this replica already held as they were.
    public var pulled = 0
    /// Records holding a conflict in this store after the sync.
    public var conflicts = 0
    /// Whether the server had been restored from a backup, so this sync sent everything again.
    public var resentAfterRestore = false

    public init() {}
}

/// Where a running sync is, for a progress bar.
public struct SyncProgress: Sendable {
    public enum Phase: Sendable {
        case pushing
        case pulling
    }

    public let phase: Phase
    /// Records done so far in this phase.
    public let done: Int
    /// Records to do in this phase, when known.
    public let total: Int?
}

/// The client's side of sync: push the outbox page by page, then pull and merge page by page.
///
/// Every page is committed on its own: a push page leaves the outbox only once the server acknowledged it
/// durable, and a pull page is merged together with the cursor that follows it. An interrupted sync
/// therefore resumes where it stopped, and nothing is sent or applied twice (and if it were, the merge is
/// idempotent).
public struct SyncEngine: Sendable {
    public let store: ReplicaStore
    public let transport: any SyncTransport
    public var pushPageSize = 500
    public var pullPageSize = 1_000
    /// Whether to ask for the next pull page while merging the last, so that the server's answer and this
    /// replica's merge overlap. Still one page merged at a time, each with its cursor. Off where the order of
    /// requests must be deterministic (simulations).
    public var prefetchesPullPages = false

    public init(store: ReplicaStore, transport: any SyncTransport) {
        self.store = store
        self.transport = transport
    }

    /// Runs one whole sync.
    public func run(progress: @Sendable (SyncProgress) -> Void = { _ in }) async throws -> SyncSummary {
        let hello = try await transport.hello()
        try Self.checkVersions(hello)
        if let bound = hello.deviceReplica, bound != store.replicaID {
            throw SyncError(
                code: .replicaMismatch,
                message: "this device's token is already used by another store (replica \(bound)): ask for a new device token and log in again"
            )
        }
        try checkShop(hello)
        try resetCursorIfServerChanged(hello.serverReplica)
        var summary = SyncSummary()
        summary.resentAfterRestore = try requeueIfServerRestored(hello)
        summary.sent = try await push(
            pageSize: min(pushPageSize, hello.limits.maxPushRecords),
            // Half the body limit leaves room for the push's own JSON around the states.
            maxBytes: hello.limits.maxBodyBytes / 2,
            progress: progress
        )
        (summary.received, summary.pulled) = try await pull(pageSize: min(pullPageSize, hello.limits.maxPullRecords), progress: progress)
        summary.conflicts = try store.conflicts().count
        return summary
    }

    /// Pushes the outbox in pages of at most `pageSize` records and `maxBytes` of states. A page the server finds
    /// too large (413) is sent again in halves, down to a page of one record, so that an outbox of long notes never
    /// stays stuck behind a limit.
    private func push(pageSize: Int, maxBytes: Int, progress: @Sendable (SyncProgress) -> Void) async throws -> Int {
        let total = try store.outboxCount()
        var sent = 0
        var pageSize = pageSize
        var maxBytes = maxBytes
        while true {
            let page = try store.outboxPage(limit: pageSize, maxBytes: maxBytes)
            guard !page.isEmpty else { return sent }
            do {
                _ = try await transport.push(PushRequest(replica: store.replicaID, records: page.states))
            } catch let error as SyncError where error.code == .tooLarge && page.states.count > 1 {
                pageSize = page.states.count / 2
                maxBytes = max(1, maxBytes / 2)
                continue
            } catch let error as SyncError where error.code == .tooLarge {
                throw SyncError.tooLarge(
                    "record \(page.states[0].id) is larger than the server accepts (\(error.message)); it stays on this laptop with everything else unsent: tell the server's operator, whose server accepts less than this keep writes, then sync again"
                )
            }
            try store.acknowledge(page)
            sent += page.states.count
            progress(SyncProgress(phase: .pushing, done: sent, total: max(total, sent)))
        }
    }

    private func pull(pageSize: Int, progress: @Sendable (SyncProgress) -> Void) async throws -> (received: Int, pulled: Int) {
        let cursor = try store.setting(.syncCursor)
        var received = 0
        var pulled = 0
        var page = try await transport.pull(cursor: cursor.isEmpty ? nil : cursor, limit: pageSize)
        while true {
            let next = page
            let prefetch =
                prefetchesPullPages && next.more
                ? Task { [transport] in try await transport.pull(cursor: next.cursor, limit: pageSize) } : nil
            let report: MergeReport
            do {
                report = try store.merge(next.records, thenSetCursor: next.cursor)
            } catch {
                prefetch?.cancel()
                throw error
            }
            received += report.changed
            pulled += next.records.count
            progress(SyncProgress(phase: .pulling, done: pulled, total: nil))
            guard next.more else { return (received, pulled) }
            if let prefetch {
                page = try await prefetch.value
            } else {
                page = try await transport.pull(cursor: next.cursor, limit: pageSize)
            }
        }
    }

    /// A different server store (a new shop, or a store restored elsewhere) means the old cursor is meaningless.
    private func resetCursorIfServerChanged(_ serverReplica: ReplicaID) throws {
        let cursor = try store.setting(.syncCursor)
        if !cursor.isEmpty, !cursor.hasPrefix(serverReplica.rawValue + ".") {
            try store.set(.syncCursor, to: "")
        }
    }

    /// Refuses a server that answers as another shop than the one this store synced with (a token of another
    /// shop, or a slug deleted and created again); learns the shop at the first sync.
    private func checkShop(_ hello: HelloResponse) throws {
        guard let shop = hello.shop else { return }
        let known = try store.setting(.serverShop)
        if known.isEmpty {
            try store.set(.serverShop, to: shop.uuidString)
            return
        }
        guard UUID(uuidString: known) == shop else {
            throw SyncError(
                code: .replicaMismatch,
                message:
                    "this book belongs to another shop than \"\(hello.tenant)\" on the server (shop \(known), not \(shop)): nothing was sent; to keep a book for \"\(hello.tenant)\", create one with `keep init --store NEW.sqlite` and log it in; to sync this one, log in with a token of its own shop"
            )
        }
    }

    /// A server store with a new epoch was restored from a backup and lost what it received since: queue
    /// everything this replica holds, so that nothing it ever sent stays lost. Returns whether it did.
    private func requeueIfServerRestored(_ hello: HelloResponse) throws -> Bool {
        guard let epoch = hello.storeEpoch else { return false }
        let current = "\(hello.serverReplica)/\(epoch)"
        let last = try store.setting(.serverEpoch)
        guard last != current else { return false }
        // The same server store in a new life: resend. A first sync, or another server: just remember it.
        if last.hasPrefix("\(hello.serverReplica)/") {
            try store.requeueEverything(serverEpoch: current)
            return true
        }
        try store.set(.serverEpoch, to: current)
        return false
    }

    /// Refuses a server that speaks a protocol or schema this client does not.
    static func checkVersions(_ hello: HelloResponse) throws(SyncError) {
        if hello.protocolVersion < ProtocolVersion.oldestSupported || hello.schema < ProtocolVersion.oldestSchema {
            throw SyncError.upgradeServer(
                "the server speaks protocol \(hello.protocolVersion), schema \(hello.schema), older than this keep supports: ask the server's operator to upgrade keep-server"
            )
        }
        if hello.oldestProtocol > ProtocolVersion.current || hello.schema > ProtocolVersion.schema
            || (hello.oldestSchema ?? 0) > ProtocolVersion.schema
        {
            throw SyncError.upgradeClient(
                "the server needs a newer keep than this one (protocol \(hello.oldestProtocol), schema \(hello.oldestSchema ?? hello.schema)): upgrade keep on this laptop"
            )
        }
    }
}
