public import Foundation
public import KeepCore
public import KeepStore

/// The server's side of sync for one shop, over that shop's replica store. No HTTP: the server module
/// decodes requests, authenticates the device, and calls this.
public struct SyncService: Sendable {
    /// What one request may carry.
    public static let limits = HelloResponse.Limits(maxPushRecords: 1_000, maxPullRecords: 1_000, maxBodyBytes: 16 << 20)

    public let store: ReplicaStore
    public let tenant: String
    /// The shop's stable id, which `hello` names; nil where no catalog gives shops one (tests of the protocol alone).
    public let shop: UUID?

    public init(store: ReplicaStore, tenant: String, shop: UUID? = nil) {
        self.store = store
        self.tenant = tenant
        self.shop = shop
    }

    public func hello(device: String, deviceReplica: ReplicaID?) throws(SyncError) -> HelloResponse {
        HelloResponse(
            tenant: tenant,
            device: device,
            serverReplica: store.replicaID,
            deviceReplica: deviceReplica,
            storeEpoch: try epoch(),
            limits: Self.limits,
            shop: shop
        )
    }

    /// This store's epoch: "0" until an operator restores it from a backup.
    public func epoch() throws(SyncError) -> String {
        do {
            return try store.setting(.storeEpoch)
        } catch {
            throw Self.syncError(error)
        }
    }

    /// Whether this store was restored from a backup, and so may be sent writes it lost again.
    public func wasRestored() throws(SyncError) -> Bool { try epoch() != StoreSetting.storeEpoch.defaultValue }

    /// Checks that `replica` may be bound to a device of this shop: it cannot be the server's own replica.
    public func checkDeviceReplica(_ replica: ReplicaID) throws(SyncError) {
        guard replica != store.replicaID else {
            throw SyncError(code: .replicaMismatch, message: "replica \(replica) is the server's own: create a new store with `keep init`")
        }
    }

    /// Merges a device's push durably, after every check of PROTOCOL.md §5.2 has passed; the device has been
    /// authenticated, and `directory` says what it is bound to.
    ///
    /// Every check runs before anything is written: the push's shape and limits, the replica, the binding, then,
    /// inside the store's transaction, its room and authorship and erasure record by record. Only then is
    /// the device bound and its pushed counter raised in the directory, still inside that transaction, which
    /// commits last: a refused push changes neither database. Replaying the same push changes nothing.
    ///
    /// - Parameter maxStoreBytes: the shop's store size limit; a store at or over it takes no more pushes.
    public func push<Directory: DeviceDirectory>(
        _ request: PushRequest,
        by device: Directory.DeviceKey,
        in directory: Directory,
        maxStoreBytes: Int64 = .max
    ) throws(SyncError) -> PushResponse {
        try Self.checkShape(of: request)
        try checkDeviceReplica(request.replica)
        try directory.checkBinding(of: device, to: request.replica)
        // A restored store lost writes its devices still hold: they may relay them, within what was really written.
        let relayable = try wasRestored() ? try directory.pushedCounters(ofShopOf: device) : VersionVector()
        let ownCounter = request.records.lazy.map { $0.context[request.replica] }.max() ?? 0
        // What the store's hooks refused, thrown as it is rather than as a store error.
        var refusal: SyncError?
        do {
            let report = try store.merge(
                request.records,
                checking: { incoming, current in
                    Authorship.violation(incoming: incoming, current: current, author: request.replica, relayable: relayable)
                },
                beforeWriting: {
                    // Under the write lock: concurrent pushes each see the store as the one before left it.
                    do throws(SyncError) {
                        try checkRoom(limit: maxStoreBytes)
                    } catch {
                        refusal = error
                        throw error
                    }
                },
                beforeCommit: {
                    do throws(SyncError) {
                        try directory.bind(device, to: request.replica, pushing: ownCounter)
                    } catch {
                        refusal = error
                        throw error
                    }
                }
            )
            return PushResponse(received: request.records.count, changed: report.changed, conflicted: report.conflicted)
        } catch {
            if let refusal { throw refusal }
            throw Self.syncError(error)
        }
    }

    /// What a push may carry, checked before the store is touched.
    static func checkShape(of request: PushRequest) throws(SyncError) {
        guard request.records.count <= Self.limits.maxPushRecords else {
            throw SyncError.tooLarge("a push may carry at most \(Self.limits.maxPushRecords) records: send them in pages")
        }
        if let problem = request.records.lazy.compactMap(RecordLimits.violation(in:)).first {
            throw SyncError.tooLarge("\(problem); nothing was kept")
        }
        let ids = request.records.map(\.id)
        guard Set(ids).count == ids.count else { throw SyncError.rejectedRecord("a push names the same record twice: send each record once") }
    }

    /// Refuses a push to a store that has reached its shop's size limit. Checked inside the push's transaction
    /// before it writes, so that a store ends at most one push over it however many arrive at once.
    func checkRoom(limit: Int64) throws(SyncError) {
        guard ReplicaStore.bytesOnDisk(at: store.path) < limit else {
            throw SyncError.tooLarge(
                "the shop's store on the server has reached its size limit (max store size, \(limit >> 20) MiB): ask the server's operator to raise it; nothing was changed"
            )
        }
    }

    /// Records changed since `cursor` (from the start when nil), at most `limit`.
    public func pull(cursor: String?, limit: Int?) throws(SyncError) -> PullResponse {
        let json = try pullJSON(cursor: cursor, limit: limit)
        do {
            return try JSONDecoder().decode(PullResponse.self, from: json)
        } catch {
            throw .internalError("the server could not read the shop's store; nothing was changed: try again later")
        }
    }

    /// The pull page as the JSON the server sends: the states spliced as they are stored (each is already its
    /// wire form), so that serving a big shop's first sync does not decode and encode every record again.
    public func pullJSON(cursor: String?, limit: Int?) throws(SyncError) -> Data {
        try pullPage(cursor: cursor, limit: limit).json
    }

    /// The page `pullJSON` answers, and how many records it holds (for the server's log).
    public func pullPage(cursor: String?, limit: Int?) throws(SyncError) -> (json: Data, records: Int) {
        let limit = limit ?? Self.limits.maxPullRecords
        guard (1...Self.limits.maxPullRecords).contains(limit) else {
            throw SyncError.badRequest("limit must be between 1 and \(Self.limits.maxPullRecords)")
        }
        var after: Int64 = 0
        if let cursor, !cursor.isEmpty {
            after = try PullCursor(cursor, expectedReplica: store.replicaID).seq
        }
        do {
            // A cursor beyond this store's history means the store was restored from an older backup: start over.
            if after > (try store.lastChangeSeq()) { after = 0 }
            // Cut by bytes too, far below what a client reads (four times the body limit), so that a page of long
            // notes never outgrows it.
            let page = try store.changedStateJSON(after: after, limit: limit, maxBytes: Self.limits.maxBodyBytes)
            let next = PullCursor(replica: store.replicaID, seq: page.lastSeq).description
            var json = Data("{\"cursor\":\"\(next)\",\"more\":\(page.more),\"records\":[".utf8)
            for (index, state) in page.states.enumerated() {
                if index > 0 { json.append(UInt8(ascii: ",")) }
                json.append(state)
            }
            json.append(contentsOf: "]}".utf8)
            return (json, page.states.count)
        } catch {
            throw Self.syncError(error)
        }
    }

    static func syncError(_ error: StoreError) -> SyncError {
        if let problem = error.rejection { return .rejectedRecord(problem) }
        if error.isDamage { return .storeDamaged }
        switch error.category {
        case .unavailable: return .unavailable("the shop's store is busy: try again in a moment")
        default: return .internalError("the server could not use the shop's store; nothing was changed: try again later")
        }
    }
}

/// Where a pull continues: the server store's replica id (so a cursor cannot be used against another shop) and a change sequence number.
public struct PullCursor: Sendable, Hashable, CustomStringConvertible {
    public let replica: ReplicaID
    public let seq: Int64

    public init(replica: ReplicaID, seq: Int64) {
        self.replica = replica
        self.seq = seq
    }

    /// Reads a cursor a client sent back, refusing one that another shop's store gave out.
    public init(_ text: String, expectedReplica: ReplicaID) throws(SyncError) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let replica = ReplicaID(String(parts[0])), let seq = Int64(parts[1]), seq >= 0 else {
            throw SyncError.badCursor("the cursor \"\(text.prefix(64))\" is not one this server gave out: pull without a cursor to start over")
        }
        guard replica == expectedReplica else {
            throw SyncError.badCursor("the cursor belongs to another store: pull without a cursor to start over")
        }
        self.replica = replica
        self.seq = seq
    }

    public var description: String { "\(replica.rawValue).\(seq)" }
}
