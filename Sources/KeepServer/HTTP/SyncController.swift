import Hummingbird
import KeepCore
import KeepProtocol
import KeepStore

/// The three calls of the sync protocol, for the device the token belongs to and its shop only.
struct SyncController {
    let catalog: Catalog
    let tenants: TenantPool
    let metrics: ServerMetrics

    func addRoutes(to group: RouterGroup<KeepRequestContext>) {
        group.get("hello", use: hello)
        group.post("push", use: push)
        group.get("pull", use: pull)
    }

    /// `GET /v1/hello`: versions, limits, and who the token belongs to.
    @Sendable func hello(_ request: Request, context: KeepRequestContext) async throws -> Response {
        let device = try context.requireDevice()
        let answer = try await tenants.withStore(device.tenant) { store in
            try SyncService(store: store, tenant: device.tenant.rawValue).hello(device: device.name, deviceReplica: device.replica)
        }
        return try JSONResponse.make(answer, for: request)
    }

    /// `POST /v1/push`: binds the device to its replica on its first push, then merges durably.
    @Sendable func push(_ request: Request, context: KeepRequestContext) async throws -> Response {
        let device = try context.requireDevice()
        let push = try await JSONBody.decode(PushRequest.self, from: request)
        let answer = try await tenants.withStore(device.tenant) { [catalog] store in
            try Self.checkRoom(in: store, limit: device.limits.maxStoreBytes)
            let service = SyncService(store: store, tenant: device.tenant.rawValue)
            try service.checkDeviceReplica(push.replica)
            let ownCounter = push.records.lazy.map { $0.context[push.replica] }.max() ?? 0
            try catalog.bind(device.id, to: push.replica, pushing: ownCounter)
            // A restored store lost writes its devices still hold: they may relay them, within what was really written.
            let relayable = try service.wasRestored() ? try catalog.pushedCounters(of: device.tenant) : VersionVector()
            return try service.push(push, relayable: relayable)
        }
        metrics.recordMerge(changed: answer.changed, conflicted: answer.conflicted)
        return try JSONResponse.make(answer, for: request)
    }

    /// Refuses a push to a store that has reached its shop's size limit. Checked before the merge, so a store
    /// ends at most one push over it.
    static func checkRoom(in store: ReplicaStore, limit: Int64) throws(SyncError) {
        guard ReplicaStore.bytesOnDisk(at: store.path) < limit else {
            throw SyncError.tooLarge(
                "the shop's store on the server has reached its size limit (max store size, \(limit >> 20) MiB): ask the server's operator to raise it; nothing was changed"
            )
        }
    }

    /// `GET /v1/pull?cursor=C&limit=N`: the next page of records changed on the server.
    @Sendable func pull(_ request: Request, context: KeepRequestContext) async throws -> Response {
        let device = try context.requireDevice()
        let query = request.uri.queryParameters
        let cursor = query.get("cursor")
        var limit: Int?
        if let text = query.get("limit") {
            guard let number = Int(text) else {
                throw SyncError.badRequest("limit must be a whole number between 1 and \(SyncService.limits.maxPullRecords)")
            }
            limit = number
        }
        let page = try await tenants.withStore(device.tenant) { [limit] store in
            try SyncService(store: store, tenant: device.tenant.rawValue).pullJSON(cursor: cursor, limit: limit)
        }
        return JSONResponse.make(json: page, for: request)
    }
}
