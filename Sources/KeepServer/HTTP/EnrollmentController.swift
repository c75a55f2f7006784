import Foundation
import Hummingbird
import KeepProtocol
import KeepStore
import KeepTenancy
import NIOCore

/// `POST /v1/enroll`: the one call without a token. A new laptop trades the operator's enrollment code for
/// its own device token.
struct EnrollmentController {
    let catalog: Catalog
    let tenants: TenantPool
    let limiter: RateLimiter
    let metrics: ServerMetrics

    /// Tries per address and minute: plenty for a person typing a code, far too few to guess one.
    static let triesPerMinute = 10
    /// An enrollment body is one short code.
    static let maxBodyBytes = 1_024

    func addRoutes(to group: RouterGroup<KeepRequestContext>) {
        group.post("enroll", use: enroll)
    }

    @Sendable func enroll(_ request: Request, context: KeepRequestContext) async throws -> Response {
        let address = Self.address(of: context)
        guard limiter.allow(address, limit: Self.triesPerMinute) else {
            metrics.recordRateLimited()
            throw RateLimited(
                error: SyncError(
                    code: .tooManyRequests,
                    message: "too many enrollment tries from this address (limit \(Self.triesPerMinute) a minute): wait a minute and try again"
                ),
                retryAfterSeconds: limiter.retryAfter(address)
            )
        }
        let body = try await JSONBody.decode(EnrollRequest.self, from: request, limit: Self.maxBodyBytes)
        let device: NewDevice
        do {
            guard let code = EnrollmentCode(body.code) else { throw SyncError.badEnrollmentCode }
            device = try await BlockingWork.run { [catalog] in try catalog.redeem(code, now: Date()) }
        } catch let error as SyncError where error == .badEnrollmentCode {
            metrics.recordAuthFailure(.enrollmentCode)
            throw error
        }
        context.notes.tenant = device.device.tenant
        let name = device.device.name
        _ = try? await tenants.withStore(device.device.tenant) { store in
            try store.audit("device enroll", detail: name, actor: "device \(name)")
        }
        return try JSONResponse.make(
            EnrollResponse(tenant: device.device.tenant.rawValue, device: name, token: device.token.text),
            for: request
        )
    }

    /// The client's IP address without its port: the unit a rate limit counts.
    private static func address(of context: KeepRequestContext) -> String {
        context.remoteAddress?.ipAddress ?? "unknown"
    }
}
