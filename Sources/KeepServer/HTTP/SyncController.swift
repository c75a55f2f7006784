import Hummingbird
import KeepCore
import KeepProtocol
import KeepStore
import KeepTenancy

/// The three calls of the sync protocol, for the device the token belongs to and its shop only.
struct SyncController {
    let catalog: Catalog
    let tenants: TenantPool
    let metrics: ServerMetrics
    let inFlight: InFlight

    func addRoutes(to group: RouterGroup<KeepRequestContext>) {
        group.get("hello", use: hello)
        group.post("push", use: push)
        group.get("pull", use: pull)
    }

    /// `GET /v1/hello`: versions, limits, and who the token belongs to.
    @Sendable func hello(_ request: Request, context: KeepRequestContext) async throws -> Response {
        let device = try context.requireDevice()
        let answer = try await tenants.withStore(device.tenant, replica: device.serverReplica) { store in
            try SyncService(store: store, tenant: device.tenant.rawValue, shop: device.shop).hello(device: device.name, deviceReplica: device.replica)
        }
        return try JSONResponse.make(answer, for: request)
    }

    /// `POST /v1/push`: the protocol checks, binds and merges (``SyncService/push(_:by:in:maxStoreBytes:)``).
    ///
    /// The body counts against the server's budget of bodies in memory until the push is answered, and is decoded
    /// on the shop's lane of the blocking pool: a flood of large pushes then waits behind itself, never taking the
    /// threads that every other shop's requests run on.
    @Sendable func push(_ request: Request, context: KeepRequestContext) async throws -> Response {
        let device = try context.requireDevice()
        let answer = try await inFlight.body(of: device, bytes: JSONBody.bytesToHold(request)) { reservation in
            let body = try await JSONBody.read(request, holding: reservation)
            return try await tenants.withStore(device.tenant, replica: device.serverReplica) { [catalog] store in
                try SyncService(store: store, tenant: device.tenant.rawValue)
                    .push(JSONBody.decode(PushRequest.self, from: body), by: device.id, in: catalog, maxStoreBytes: device.limits.maxStoreBytes)
            }
        }
        metrics.recordMerge(changed: answer.changed, conflicted: answer.conflicted)
        context.notes.count("received", answer.received)
        context.notes.count("changed", answer.changed)
        context.notes.count("conflicted", answer.conflicted)
        return try JSONResponse.make(answer, for: request)
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
        let page = try await tenants.withStore(device.tenant, replica: device.serverReplica) { [limit] store in
            try SyncService(store: store, tenant: device.tenant.rawValue).pullPage(cursor: cursor, limit: limit)
        }
        context.notes.count("sent", page.records)
        return JSONResponse.make(json: page.json, for: request)
    }
}
