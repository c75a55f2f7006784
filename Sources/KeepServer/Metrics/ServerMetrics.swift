import CoreMetrics
public import Prometheus

/// What the server counts, for Prometheus on `/metrics`: requests, sync latency, changes merged, conflicts,
/// open shop stores, authentication failures and rate-limited requests.
///
/// Made once, with fixed dimensions (route, status class, reason), never a shop or a device: the set of series
/// stays small however many shops the server hosts, and `/metrics` says nothing about any one of them.
/// Metrics go to the given registry rather than the process-wide `MetricsSystem`, so that every server (one
/// per test, too) counts on its own.
public struct ServerMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry

    private let requests: [Route: [StatusClass: CoreMetrics.Counter]]
    private let latency: [Route: CoreMetrics.Timer]
    private let changesMerged: CoreMetrics.Counter
    private let conflicts: CoreMetrics.Counter
    private let openTenantStores: CoreMetrics.Meter
    private let authFailures: [AuthFailure: CoreMetrics.Counter]
    private let rateLimited: CoreMetrics.Counter

    /// The routes counted apart; anything else is `other`, so a scan of random paths adds no series.
    enum Route: String, CaseIterable, Sendable {
        case hello, push, pull, enroll, healthz, metrics, other

        init(path: String) {
            switch path {
            case "/v1/hello": self = .hello
            case "/v1/push": self = .push
            case "/v1/pull": self = .pull
            case "/v1/enroll": self = .enroll
            case "/healthz": self = .healthz
            case "/metrics": self = .metrics
            default: self = .other
            }
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
        var requests: [Route: [StatusClass: CoreMetrics.Counter]] = [:]
        var latency: [Route: CoreMetrics.Timer] = [:]
        for route in Route.allCases {
            for status in StatusClass.allCases {
                requests[route, default: [:]][status] = CoreMetrics.Counter(
                    label: "keep_http_requests_total",
                    dimensions: [("route", route.rawValue), ("status", status.rawValue)],
                    factory: factory
                )
            }
            latency[route] = CoreMetrics.Timer(label: "keep_request_duration_seconds", dimensions: [("route", route.rawValue)], factory: factory)
        }
        self.requests = requests
        self.latency = latency
        changesMerged = CoreMetrics.Counter(label: "keep_changes_merged_total", factory: factory)
        conflicts = CoreMetrics.Counter(label: "keep_conflicts_total", factory: factory)
        openTenantStores = CoreMetrics.Meter(label: "keep_open_tenant_stores", factory: factory)
        authFailures = Dictionary(
            uniqueKeysWithValues: AuthFailure.allCases.map {
                ($0, CoreMetrics.Counter(label: "keep_auth_failures_total", dimensions: [("reason", $0.rawValue)], factory: factory))
            }
        )
        rateLimited = CoreMetrics.Counter(label: "keep_rate_limited_total", factory: factory)
    }

    /// Counts one answered request and how long it took.
    func recordRequest(path: String, status: Int, duration: Duration) {
        let route = Route(path: path)
        requests[route]?[StatusClass(status: status)]?.increment()
        latency[route]?.recordNanoseconds(duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000)
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

    /// The Prometheus text exposition of every metric, with the number of shop stores open now.
    func exposition(openTenantStores open: Int) -> [UInt8] {
        openTenantStores.set(open)
        return registry.emitToBuffer()
    }
}
