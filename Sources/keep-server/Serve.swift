import ArgumentParser
import Foundation
import KeepServer
import KeepTenancy
import Logging
import Metrics
import Prometheus

#if canImport(Glibc)
import Glibc
#endif

/// `keep-server serve`: runs the sync server until SIGTERM or SIGINT.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the sync server over HTTPS.",
        discussion: """
            Once listening, prints one line: `listening on https://HOST:PORT sha256=FINGERPRINT`. Without \
            --tls-cert and --tls-key, a self-signed certificate is made on first start and kept in DIR/tls; laptops \
            pin its fingerprint when they log in. SIGTERM or SIGINT stops it after the syncs in progress finish. \
            Logs go to standard error (LOG_LEVEL=debug for more).
            """
    )

    @OptionGroup var data: DataOption

    @Option(name: .long, help: ArgumentHelp("The address or name to listen on.", valueName: "host"))
    var host = "127.0.0.1"

    @Option(name: .long, help: ArgumentHelp("The port to listen on; 0 picks a free one.", valueName: "port"))
    var port = 8443

    @Option(
        name: .customLong("tls-cert"),
        help: ArgumentHelp("A PEM certificate (chain) to present instead of the self-signed one.", valueName: "file")
    )
    var tlsCertificate: String?

    @Option(name: .customLong("tls-key"), help: ArgumentHelp("The PEM private key of --tls-cert.", valueName: "file"))
    var tlsKey: String?

    @Option(
        name: .customLong("open-stores"),
        help: ArgumentHelp(
            "The most shop stores kept open at once (each holds a few files and up to a few MB); the least recently used closes first.",
            valueName: "count"
        )
    )
    var openStores = ServerConfiguration.defaultOpenTenantLimit

    @Option(
        name: .customLong("idle-timeout"),
        help: ArgumentHelp("Seconds a connection may send nothing before the server closes it.", valueName: "seconds")
    )
    var idleTimeout = 30

    @Option(
        name: .customLong("max-buffered-mb"),
        help: ArgumentHelp("MiB of request bodies the server holds in memory at once; more pushes wait for a retry.", valueName: "mib")
    )
    var maxBufferedMiB = ServerConfiguration.defaultMaxBufferedBodyBytes >> 20

    @Option(
        name: .customLong("max-connections"),
        help: ArgumentHelp("Connections in all; the oldest without a request yet are closed first to make room.", valueName: "count")
    )
    var maxConnections = ServerConfiguration.defaultMaxConnections

    /// How the log is written.
    enum LogFormat: String, CaseIterable, ExpressibleByArgument {
        case text
        case json
    }

    @Option(name: .customLong("log-format"), help: "text (one line per event) or json (one JSON object per line).")
    var logFormat = LogFormat.text

    func run() async throws {
        guard (0...65535).contains(port) else {
            throw KeepServerError.usage("--port \(port) is not a port: use 1 to 65535, or 0 for a free one")
        }
        guard (1...100_000).contains(openStores) else {
            throw KeepServerError.usage("--open-stores \(openStores) is out of range: give 1 to 100000 (each open store holds a few files)")
        }
        guard (1...3_600).contains(idleTimeout) else {
            throw KeepServerError.usage("--idle-timeout \(idleTimeout) is out of range: give 1 to 3600 seconds")
        }
        guard (16...1_000_000).contains(maxConnections) else {
            throw KeepServerError.usage("--max-connections \(maxConnections) is out of range: give 16 to 1000000")
        }
        guard (32...65_536).contains(maxBufferedMiB) else {
            throw KeepServerError.usage("--max-buffered-mb \(maxBufferedMiB) is out of range: give 32 to 65536 (two full pushes need 32)")
        }
        let certificate: ServerConfiguration.CertificateSource
        switch (tlsCertificate, tlsKey) {
        case (nil, nil): certificate = .selfSigned
        case (let certificatePath?, let keyPath?): certificate = .files(certificate: certificatePath, key: keyPath)
        default: throw KeepServerError.tlsPair
        }
        let format = logFormat
        LoggingSystem.bootstrap { label in
            switch format {
            case .text:
                var handler = StreamLogHandler.standardError(label: label)
                handler.logLevel = Environment.logLevel
                return handler
            case .json:
                return JSONLogHandler(label: label, logLevel: Environment.logLevel)
            }
        }
        // One registry for the server's own metrics and any a library records through MetricsSystem.
        let metrics = ServerMetrics()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: metrics.registry))
        FileLimit.raiseToHardLimit()
        var configuration = ServerConfiguration(
            dataRoot: data.root,
            host: host,
            port: port,
            certificate: certificate,
            openTenantLimit: openStores
        )
        configuration.idleTimeout = .seconds(idleTimeout)
        configuration.maxBufferedBodyBytes = maxBufferedMiB << 20
        configuration.maxConnections = maxConnections
        let logger = Logger(label: "keep-server")
        let dataRoot = data.root.path
        try await runServer(configuration, logger: logger, metrics: metrics) { address in
            Output.line(address.announcement)
            logger.notice(
                "keep-server started",
                metadata: ["version": "\(BuildInfo.version)", "url": "\(address.url)", "data": "\(dataRoot)", "pid": "\(getpid())"]
            )
        }
        logger.notice("keep-server stopped")
    }
}

/// The process's open-file limit.
private enum FileLimit {
    /// Each open shop store holds a few files; shells often start with a soft limit of 1,024 but allow more.
    static func raiseToHardLimit() {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
        limit.rlim_cur = limit.rlim_max
        _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }
}

/// The log level from `LOG_LEVEL` (trace, debug, info, notice, warning, error, critical); info by default.
private enum Environment {
    static var logLevel: Logger.Level {
        ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0.lowercased()) } ?? .info
    }
}
