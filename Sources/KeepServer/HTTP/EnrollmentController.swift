import Foundation
import Hummingbird
import KeepProtocol
import KeepStore
import KeepTenancy
import NIOCore

#if canImport(Glibc)
import Glibc
#endif

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
        let keys = Self.rateLimitKeys(of: context.remoteAddress)
        // Every key counts the try, so that a /64 is limited as a whole however its addresses take turns.
        let allowed = keys.map { limiter.allow($0, limit: Self.triesPerMinute) }
        guard !allowed.contains(false) else {
            metrics.recordRateLimited()
            throw RateLimited(
                error: SyncError(
                    code: .tooManyRequests,
                    message: "too many enrollment tries from this address (limit \(Self.triesPerMinute) a minute): wait a minute and try again"
                ),
                retryAfterSeconds: keys.map { limiter.retryAfter($0) }.max() ?? 1
            )
        }
        let body = try await JSONBody.decode(EnrollRequest.self, from: request, limit: Self.maxBodyBytes)
        let device: NewDevice
        let enrolled: AuthenticatedDevice
        do {
            guard let code = EnrollmentCode(body.code) else { throw SyncError.badEnrollmentCode }
            (device, enrolled) = try await BlockingWork.run { [catalog] in try catalog.redeem(code, now: Date()) }
        } catch let error as SyncError where error == .badEnrollmentCode {
            metrics.recordAuthFailure(.enrollmentCode)
            throw error
        }
        context.notes.tenant = device.device.tenant
        let name = device.device.name
        _ = try? await tenants.withStore(enrolled.tenant, replica: enrolled.serverReplica) { store in
            try store.audit("device enroll", detail: name, actor: "device \(name)")
        }
        return try JSONResponse.make(
            EnrollResponse(tenant: device.device.tenant.rawValue, device: name, token: device.token.text),
            for: request
        )
    }

    /// What an enrollment try counts against: the client's IP address without its port, and for IPv6 its /64 as
    /// well, since one machine is usually given a whole /64 and can send from as many addresses as it likes.
    static func rateLimitKeys(of address: SocketAddress?) -> [String] {
        guard let address, let text = address.ipAddress else { return ["unknown"] }
        guard case .v6 = address else { return [text] }
        // The address's 16 bytes from its text (a scope such as %eth0 dropped).
        var bytes = [UInt8](repeating: 0, count: 16)
        guard inet_pton(AF_INET6, String(text.prefix { $0 != "%" }), &bytes) == 1 else { return [text] }
        // An IPv4 client on a dual-stack socket (::ffff:a.b.c.d) is one address, not a /64.
        guard bytes.count == 16, !(bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xff && bytes[11] == 0xff) else { return [text] }
        let prefix = stride(from: 0, to: 8, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
        return [text, prefix.joined(separator: ":") + "::/64"]
    }
}
