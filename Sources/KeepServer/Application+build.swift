import Foundation
public import Hummingbird
import HummingbirdCore
import HummingbirdTLS
public import KeepTenancy
public import Logging
import NIOCore
import ServiceLifecycle
import UnixSignals

#if canImport(Glibc)
import Glibc
#endif

/// Builds the sync server: catalog, tenant pool, router and TLS, ready to run as a `Service`.
///
/// Tests call this and run the result with `app.test(.ahc(.https))`, or in their own `ServiceGroup`,
/// reading the port from `onListening`.
///
/// - Parameters:
///   - metrics: where the server counts what it does, served on `/metrics`.
///   - onListening: called once the server listens, with the real port (useful with port 0).
public func buildApplication(
    _ configuration: ServerConfiguration,
    logger: Logger = Logger(label: "keep-server"),
    metrics: ServerMetrics = ServerMetrics(),
    onListening: @escaping @Sendable (ListeningAddress) async -> Void = { _ in }
) throws(KeepServerError) -> some ApplicationProtocol {
    let certificate: ServerCertificate
    switch configuration.certificate {
    case .files(let certificatePath, let keyPath):
        // Checked before anything is created, so a typo in a path changes nothing.
        certificate = try ServerCertificate.load(certificatePath: certificatePath, keyPath: keyPath)
        try configuration.dataRoot.create()
    case .selfSigned:
        try configuration.dataRoot.create()
        certificate = try ServerCertificate.selfSigned(in: configuration.dataRoot.tlsFolder, host: configuration.host)
    }
    let catalog = try configuration.dataRoot.openCatalog()
    let tenants = TenantPool(dataRoot: configuration.dataRoot, capacity: configuration.openTenantLimit, logger: logger)
    let host = configuration.host
    let admission = ConnectionAdmission(bounds: configuration.connections)
    let idleTimeout = TimeAmount(configuration.idleTimeout)
    // The certificate's TLS context was built when it was loaded, so the channel's own cannot fail here.
    return Application(
        router: buildRouter(catalog: catalog, tenants: tenants, metrics: metrics, inFlight: InFlight(bounds: configuration.inFlight)),
        server: HTTPServerBuilder { responder in
            let http = HTTP1Channel(
                responder: responder,
                configuration: .init(additionalChannelHandlers: [RequestHeadSeen(admission: admission)], idleTimeout: idleTimeout)
            )
            return AdmittedChannel(base: try TLSChannel(http, tlsConfiguration: certificate.tlsConfiguration), admission: admission)
        },
        configuration: ApplicationConfiguration(address: .hostname(host, port: configuration.port), serverName: "keep-server"),
        services: [tenants],
        onServerRunning: { channel in
            let port = channel.localAddress?.port ?? configuration.port
            await onListening(ListeningAddress(host: host, port: port, fingerprint: certificate.fingerprint))
        },
        logger: logger
    )
}

/// The routes: `/healthz` and `/metrics` without authentication, enrollment with a code, and the sync protocol
/// under `/v1` for authenticated devices.
///
/// Middleware wraps only the routes added after it, so the routes are laid out once on a router of their own to be
/// read (for 405s and the metrics' labels), then again behind the middleware.
func buildRouter(catalog: Catalog, tenants: TenantPool, metrics: ServerMetrics, inFlight: InFlight = InFlight()) -> Router<KeepRequestContext> {
    let endpoints = Endpoints(catalog: catalog, tenants: tenants, metrics: metrics, inFlight: inFlight)
    let listed = Router(context: KeepRequestContext.self)
    endpoints.add(to: listed)
    let routes = ServerRoutes(listed)
    metrics.count(routes)
    let router = Router(context: KeepRequestContext.self)
    router.add(middleware: RequestLogMiddleware(metrics: metrics))
    router.add(middleware: ErrorMiddleware(routes: routes))
    endpoints.add(to: router)
    return router
}

/// Every endpoint of the server with the middleware particular to it.
private struct Endpoints {
    let catalog: Catalog
    let tenants: TenantPool
    let metrics: ServerMetrics
    let inFlight: InFlight

    func add(to router: Router<KeepRequestContext>) {
        router.get("healthz") { _, _ in try JSONResponse.make(["status": "ok"]) }
        router.get("metrics") { [metrics, tenants, catalog] _, _ in
            let counts = try? await BlockingWork.run { try catalog.counts() }
            let gauges = ServerMetrics.Gauges(
                openTenantStores: tenants.openCount,
                damagedTenantStores: tenants.damagedCount,
                shops: counts?.shops,
                devices: counts?.devices
            )
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.exposition(gauges)))
            )
        }
        let enrollment = router.group("v1").add(middleware: ProtocolVersionMiddleware())
        EnrollmentController(catalog: catalog, tenants: tenants, limiter: RateLimiter(), metrics: metrics).addRoutes(to: enrollment)
        let v1 = router.group("v1")
            .add(middleware: ProtocolVersionMiddleware())
            .add(middleware: DeviceAuthenticator(catalog: catalog, limiter: RateLimiter(), metrics: metrics, inFlight: inFlight, seen: SeenDevices()))
        SyncController(catalog: catalog, tenants: tenants, metrics: metrics, inFlight: inFlight).addRoutes(to: v1)
    }
}

/// Runs the server until SIGTERM or SIGINT, then stops accepting connections, lets in-flight requests
/// finish for at most ``shutdownDrain``, cancels what is left (a stalled upload is never acknowledged, so
/// cutting it loses nothing), and closes every store.
public func runServer(
    _ configuration: ServerConfiguration,
    logger: Logger = Logger(label: "keep-server"),
    metrics: ServerMetrics = ServerMetrics(),
    onListening: @escaping @Sendable (ListeningAddress) async -> Void = { _ in }
) async throws {
    // Claimed before anything is opened; a data folder that does not exist yet is served by no one, and is claimed
    // once made (a serve refused for a bad option leaves no folder behind).
    let claimed = FileManager.default.fileExists(atPath: configuration.dataRoot.path) ? try ServingLock(configuration.dataRoot) : nil
    let app = try buildApplication(configuration, logger: logger, metrics: metrics, onListening: onListening)
    let lock = try claimed ?? ServingLock(configuration.dataRoot)
    defer { withExtendedLifetime(lock) {} }
    var group = ServiceGroupConfiguration(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
    group.maximumGracefulShutdownDuration = shutdownDrain
    group.maximumCancellationDuration = .seconds(5)
    do {
        try await ServiceGroup(configuration: group).run()
    } catch let error as IOError {
        guard let reason = ListeningProblem.describe(error.errnoCode, configuration) else { throw error }
        throw KeepServerError.cannotListen(host: configuration.host, port: configuration.port, reason: reason)
    }
}

/// Why the server could not listen where it was told to, in words, with what to do.
enum ListeningProblem {
    static func describe(_ code: Int32, _ configuration: ServerConfiguration) -> String? {
        let (host, port) = (configuration.host, configuration.port)
        switch code {
        case EADDRINUSE:
            return "port \(port) is already in use on \(host) (another keep-server, or another program): stop it, or choose another port with --port"
        case EACCES:
            return
                "this user may not listen on port \(port) (ports below 1024 need privileges): choose a port from 1024 up with --port, or grant the capability (setcap cap_net_bind_service=+ep)"
        case EADDRNOTAVAIL:
            return "\(host) is not an address of this machine: give --host one of its addresses, or 0.0.0.0 for all"
        default:
            return nil
        }
    }
}

/// How long a stopping server waits for requests in flight: a sync takes well under a second, and a client
/// that stalls its upload must not keep the server, and its address, from restarting.
public let shutdownDrain: Duration = .seconds(10)
