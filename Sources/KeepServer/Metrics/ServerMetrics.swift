public import Prometheus
import Synchronization

/// What the server counts, for Prometheus on `/metrics`: requests, sync latency, changes merged, conflicts,
/// open shop stores, authentication failures and rate-limited requests.
///
/// Made once, with fixed dimensions (the router's routes, status class, reason), never a shop or a device: the set of series
/// stays small however many shops the server hosts, and `/metrics` says nothing about any one of them.
/// Metrics go to the given registry rather than the process-wide `MetricsSystem`, so that every server (one
/// per test, too) counts on its own.
public struct ServerMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry

    /// A reference, so that every copy counts into the series made once the router is built.
    private let routes: RouteTable
    private let changesMerged: Prometheus.Counter
    private let conflicts: Prometheus.Counter
    private let openTenantStores: Gauge
    private let damagedTenantStores: Gauge
    private let shops: Gauge
    private let devices: Gauge
    private let uptime: Gauge
    private let authFailures: [AuthFailure: Prometheus.Counter]
    private let rateLimited: Prometheus.Counter
    private let started = ContinuousClock.now

    /// The label of requests that matched no route, so that a scan of random paths adds no series.
    static let unmatchedRoute = "other"

    /// From a quiet push on loopback to a first sync's biggest pages.
    private static let latencyBuckets = [1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000].map {
        Duration.microseconds(Int64($0 * 1_000))
    }

    /// One route's request counts by status class, and its latency.
    private struct RouteMetrics: Sendable {
        let requests: [StatusClass: Prometheus.Counter]
        let latency: DurationHistogram
    }

    /// Each route's series, by endpoint path.
    private final class RouteTable: Sendable {
        let byPath: Mutex<[String: RouteMetrics]>

        init(_ unmatched: RouteMetrics) {
            byPath = Mutex([ServerMetrics.unmatchedRoute: unmatched])
        }
    }

    enum StatusClass: String, CaseIterable, Sendable {
        case success = "2xx"
        case redirect = "3xx"
        case clientError = "4xx"
        case serverError = "5xx"

        init(status: Int) {
            switch status {
            case ..<300: self = .success
            case ..<400: self = .redirect
            case ..<500: self = .clientError
            default: self = .serverError
            }
        }
    }

    enum AuthFailure: String, CaseIterable, Sendable {
        /// A missing, malformed, unknown or revoked bearer token.
        case token
        /// An unknown, used or expired enrollment code.
        case enrollmentCode = "enrollment_code"
    }

    /// A metric's name and the `# HELP` line `/metrics` gives it.
    private static func named(_ name: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(metricName: name, unitName: "", helpText: help)
    }

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(), version: String = BuildInfo.version) {
        self.registry = registry
        routes = RouteTable(Self.metrics(route: Self.unmatchedRoute, registry: registry))
        changesMerged = registry.makeCounter(descriptor: Self.named("keep_changes_merged_total", "Pushed records that changed a shop's store."))
        conflicts = registry.makeCounter(descriptor: Self.named("keep_conflicts_total", "Pushed records left holding a conflict."))
        openTenantStores = registry.makeGauge(descriptor: Self.named("keep_open_tenant_stores", "Shop stores open now."))
        damagedTenantStores = registry.makeGauge(
            descriptor: Self.named("keep_damaged_tenant_stores", "Shop stores out of service because they were found damaged (the log names them).")
        )
        shops = registry.makeGauge(descriptor: Self.named("keep_shops", "Shops in the catalog."))
        devices = registry.makeGauge(descriptor: Self.named("keep_devices", "Working (not revoked) devices of every shop."))
        uptime = registry.makeGauge(descriptor: Self.named("keep_uptime_seconds", "Seconds since this server started."))
        registry.makeGauge(descriptor: Self.named("keep_build_info", "The running keep-server's version."), labels: [("version", version)]).set(to: 1)
        authFailures = Dictionary(
            uniqueKeysWithValues: AuthFailure.allCases.map {
                (
                    $0,
                    registry.makeCounter(
                        descriptor: Self.named("keep_auth_failures_total", "Refused tokens and enrollment codes, by reason."),
                        labels: [("reason", $0.rawValue)]
                    )
                )
            }
        )
        rateLimited = registry.makeCounter(descriptor: Self.named("keep_rate_limited_total", "Requests refused for a shop's rate limit."))
    }

    /// Makes the series of every route the router serves, labelled by its endpoint path (`/v1/push`), so that
    /// `/metrics` lists them from the start.
    func count(_ served: ServerRoutes) {
        routes.byPath.withLock { routes in
            for route in served.allowedMethods.keys where routes[route] == nil {
                routes[route] = Self.metrics(route: route, registry: registry)
            }
        }
    }

    private static func metrics(route: String, registry: PrometheusCollectorRegistry) -> RouteMetrics {
        RouteMetrics(
            requests: Dictionary(
                uniqueKeysWithValues: StatusClass.allCases.map { status in
                    let counter = registry.makeCounter(
                        descriptor: named("keep_http_requests_total", "Answered requests, by route and status class."),
                        labels: [("route", route), ("status", status.rawValue)]
                    )
                    return (status, counter)
                }
            ),
            latency: registry.makeDurationHistogram(
                descriptor: named("keep_request_duration_seconds", "How long requests took to answer, by route."),
                labels: [("route", route)],
                buckets: latencyBuckets
            )
        )
    }

    /// Counts one answered request and how long it took, under the route the router matched (`endpoint`, never
    /// the request's own path, so that no shop or id lands in a label); a request that matched none counts as `other`.
    func recordRequest(endpoint: String?, status: Int, duration: Duration) {
        let route = routes.byPath.withLock { routes in routes[endpoint ?? Self.unmatchedRoute] ?? routes[Self.unmatchedRoute] }
        route?.requests[StatusClass(status: status)]?.increment()
        route?.latency.record(duration)
    }

    func recordAuthFailure(_ reason: AuthFailure) {
        authFailures[reason]?.increment()
    }

    /// Counts a push's records that changed the server's store, and those left in conflict.
    func recordMerge(changed: Int, conflicted: Int) {
        changesMerged.increment(by: Int64(changed))
        conflicts.increment(by: Int64(conflicted))
    }

    func recordRateLimited() {
        rateLimited.increment()
    }

    /// What `/metrics` reads from elsewhere when it is scraped.
    struct Gauges {
        /// Shop stores open now, and those out of service because they were found damaged (a count: which shops is
        /// in the log).
        var openTenantStores = 0
        var damagedTenantStores = 0
        /// Shops and working devices in the catalog; nil when it could not be read.
        var shops: Int?
        var devices: Int?
    }

    /// The Prometheus text exposition of every metric, with `gauges` as they are now.
    func exposition(_ gauges: Gauges) -> [UInt8] {
        openTenantStores.set(Int64(gauges.openTenantStores))
        damagedTenantStores.set(Int64(gauges.damagedTenantStores))
        if let count = gauges.shops { shops.set(Int64(count)) }
        if let count = gauges.devices { devices.set(Int64(count)) }
        let elapsed = ContinuousClock.now - started
        uptime.set(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        return registry.emitToBuffer()
    }
}

/// What the running server is.
public enum BuildInfo {
    public static let version = "0.1.0"
}
