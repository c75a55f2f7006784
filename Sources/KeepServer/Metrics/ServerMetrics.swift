import CoreMetrics
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

    private let factory: PrometheusMetricsFactory
    /// A reference, so that every copy counts into the series made once the router is built.
    private let routes: RouteTable
    private let changesMerged: CoreMetrics.Counter
    private let conflicts: CoreMetrics.Counter
    private let openTenantStores: CoreMetrics.Meter
    private let damagedTenantStores: CoreMetrics.Meter
    private let authFailures: [AuthFailure: CoreMetrics.Counter]
    private let rateLimited: CoreMetrics.Counter

    /// The label of requests that matched no route, so that a scan of random paths adds no series.
    static let unmatchedRoute = "other"

    /// One route's request counts by status class, and its latency.
    private struct RouteMetrics: Sendable {
        let requests: [StatusClass: CoreMetrics.Counter]
        let latency: CoreMetrics.Timer
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

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
        var factory = PrometheusMetricsFactory(registry: registry)
        // From a quiet push on loopback to a first sync's biggest pages.
        factory.defaultDurationHistogramBuckets = [1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000].map {
            Duration.microseconds(Int64($0 * 1_000))
        }
        self.factory = factory
        self.routes = RouteTable(Self.metrics(route: Self.unmatchedRoute, factory: factory))
        changesMerged = CoreMetrics.Counter(label: "keep_changes_merged_total", factory: factory)
        conflicts = CoreMetrics.Counter(label: "keep_conflicts_total", factory: factory)
        openTenantStores = CoreMetrics.Meter(label: "keep_open_tenant_stores", factory: factory)
        damagedTenantStores = CoreMetrics.Meter(label: "keep_damaged_tenant_stores", factory: factory)
        authFailures = Dictionary(
            uniqueKeysWithValues: AuthFailure.allCases.map {
                ($0, CoreMetrics.Counter(label: "keep_auth_failures_total", dimensions: [("reason", $0.rawValue)], factory: factory))
            }
        )
        rateLimited = CoreMetrics.Counter(label: "keep_rate_limited_total", factory: factory)
    }

    /// Makes the series of every route the router serves, labelled by its endpoint path (`/v1/push`), so that
    /// `/metrics` lists them from the start.
    func count(_ served: ServerRoutes) {
        routes.byPath.withLock { routes in
            for route in served.allowedMethods.keys where routes[route] == nil {
                routes[route] = Self.metrics(route: route, factory: factory)
            }
        }
    }

    private static func metrics(route: String, factory: PrometheusMetricsFactory) -> RouteMetrics {
        RouteMetrics(
            requests: Dictionary(
                uniqueKeysWithValues: StatusClass.allCases.map { status in
                    let dimensions = [("route", route), ("status", status.rawValue)]
                    return (status, CoreMetrics.Counter(label: "keep_http_requests_total", dimensions: dimensions, factory: factory))
                }
            ),
            latency: CoreMetrics.Timer(label: "keep_request_duration_seconds", dimensions: [("route", route)], factory: factory)
        )
    }

    /// Counts one answered request and how long it took, under the route the router matched (`endpoint`, never
    /// the request's own path, so that no shop or id lands in a label); a request that matched none counts as `other`.
    func recordRequest(endpoint: String?, status: Int, duration: Duration) {
        let route = routes.byPath.withLock { routes in routes[endpoint ?? Self.unmatchedRoute] ?? routes[Self.unmatchedRoute] }
        route?.requests[StatusClass(status: status)]?.increment()
        route?.latency.recordNanoseconds(duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
    }

    func recordAuthFailure(_ reason: AuthFailure) {
        authFailures[reason]?.increment()
    }

    /// Counts a push's records that changed the server's store, and those left in conflict.
    func recordMerge(changed: Int, conflicted: Int) {
        changesMerged.increment(by: changed)
        conflicts.increment(by: conflicted)
    }

    func recordRateLimited() {
        rateLimited.increment()
    }

    /// The Prometheus text exposition of every metric, with the number of shop stores open now and of those
    /// out of service because they were found damaged (a count: which shops is in the log).
    func exposition(openTenantStores open: Int, damagedTenantStores damaged: Int) -> [UInt8] {
        openTenantStores.set(open)
        damagedTenantStores.set(damaged)
        return registry.emitToBuffer()
    }
}
