import Foundation
import Hummingbird
import KeepProtocol
import KeepTenancy

/// Finds the device behind the bearer token and puts it in the context; the shop comes from the token only.
///
/// A missing, malformed, unknown or revoked token, or one of a deleted shop, all get the same 401.
struct DeviceAuthenticator: RouterMiddleware {
    typealias Context = KeepRequestContext

    let catalog: Catalog
    /// Counts each device's requests against its shop's limit per minute.
    let limiter: RateLimiter
    let metrics: ServerMetrics
    /// Bounds the requests each device and shop has in flight.
    let inFlight: InFlight
    /// When devices were last written down as seen, for `keep-server status`.
    let seen: SeenDevices

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let token = Self.bearerToken(request) else {
            throw unauthorized(context, request.headers[.authorization] == nil ? "no bearer token" : "a malformed token")
        }
        let found = try await BlockingWork.run { [catalog] in try catalog.authenticate(token) }
        guard let device = found else { throw unauthorized(context, "an unknown or revoked token, or one of a deleted shop") }
        context.notes.tenant = device.tenant
        context.notes.device = device.name
        guard device.tenantStatus == .active else {
            context.notes.refusal = "the shop is suspended"
            throw SyncError(code: .suspended, message: "this shop is suspended on the server: ask the server's operator to resume it")
        }
        let limit = device.limits.requestsPerMinute
        guard limiter.allow(device.id.rawValue, limit: limit) else {
            context.notes.refusal = "over the shop's \(limit) requests a minute"
            metrics.recordRateLimited()
            throw RateLimited(
                error: SyncError(
                    code: .tooManyRequests,
                    message:
                        "this device made more than \(limit) requests in a minute, its shop's limit (requests per minute): wait and sync again; nothing was changed"
                ),
                retryAfterSeconds: limiter.retryAfter(device.id.rawValue)
            )
        }
        let now = Date()
        if seen.shouldRecord(device.id, at: now) {
            // Best effort: a failed note of when a device was seen must not fail its sync.
            try? await BlockingWork.run { [catalog] in try catalog.noteSeen(device.id, at: now) }
        }
        var context = context
        context.device = device
        return try await inFlight.request(of: device) { try await next(request, context) }
    }

    private func unauthorized(_ context: Context, _ reason: String) -> SyncError {
        context.notes.refusal = reason
        metrics.recordAuthFailure(.token)
        return SyncError.unauthorized
    }

    /// The token of an `Authorization: Bearer TOKEN` header, if well formed.
    static func bearerToken(_ request: Request) -> DeviceToken? {
        guard let value = request.headers[.authorization] else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return DeviceToken(parts[1].trimmingCharacters(in: .whitespaces))
    }
}
