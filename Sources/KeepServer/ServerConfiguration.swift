public import KeepTenancy

/// How `keep-server serve` runs: where it listens, where its data lives, which certificate it presents.
public struct ServerConfiguration: Sendable {
    /// The address or name to listen on.
    public var host: String
    /// The port to listen on; 0 picks a free one.
    public var port: Int
    public var dataRoot: DataRoot
    public var certificate: CertificateSource
    /// The most shop stores open at once.
    public var openTenantLimit: Int
    /// `--open-stores` sets it.
    public static let defaultOpenTenantLimit = TenantPool.defaultCapacity
    /// How long a connection may send nothing before the server closes it: an idle or stalled client must not
    /// hold a connection (and a file) for ever.
    public var idleTimeout: Duration = .seconds(30)
    /// Bytes of request bodies the server holds in memory at once (`--max-buffered-mb`); a push over it waits
    /// for a retry (503).
    public var maxBufferedBodyBytes = defaultMaxBufferedBodyBytes
    /// `--max-buffered-mb` sets it.
    public static let defaultMaxBufferedBodyBytes = InFlight.Bounds().bufferedBytes

    /// Connections in all (`--max-connections`); those that have not sent a request yet are bounded more tightly.
    public var maxConnections = defaultMaxConnections
    /// `--max-connections` sets it.
    public static let defaultMaxConnections = ConnectionAdmission.Bounds().total
    /// How long a new connection has to send its first request head, its TLS handshake included.
    public var headerTimeout: Duration = ConnectionAdmission.Bounds().headerTimeout

    var connections: ConnectionAdmission.Bounds {
        var bounds = ConnectionAdmission.Bounds()
        bounds.total = maxConnections
        bounds.unproven = min(bounds.unproven, maxConnections)
        bounds.headerTimeout = headerTimeout
        return bounds
    }

    var inFlight: InFlight.Bounds {
        var bounds = InFlight.Bounds()
        bounds.bufferedBytes = maxBufferedBodyBytes
        return bounds
    }

    /// Where the TLS certificate comes from.
    public enum CertificateSource: Sendable, Hashable {
        /// Made on first start and kept under `<data>/tls/`.
        case selfSigned
        /// PEM files given by the operator.
        case files(certificate: String, key: String)
    }

    public init(
        dataRoot: DataRoot,
        host: String = "127.0.0.1",
        port: Int = 8443,
        certificate: CertificateSource = .selfSigned,
        openTenantLimit: Int = defaultOpenTenantLimit
    ) {
        self.dataRoot = dataRoot
        self.host = host
        self.port = port
        self.certificate = certificate
        self.openTenantLimit = openTenantLimit
    }
}
