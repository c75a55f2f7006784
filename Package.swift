// swift-tools-version:6.1
import PackageDescription

let upcomingFeatures: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Keepword",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "keep", targets: ["keep"]),
        .executable(name: "keep-server", targets: ["keep-server"]),
        .library(name: "KeepCore", targets: ["KeepCore"]),
        .library(name: "KeepStore", targets: ["KeepStore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/adam-fowler/compress-nio.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swiftcsv/SwiftCSV.git", from: "0.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: [
        // The pure core: the shop's model, version vectors and the merge. No I/O.
        .target(name: "KeepCore", swiftSettings: upcomingFeatures),
        // A replica's SQLite store, shared by laptops and (later) the server.
        .target(
            name: "KeepStore",
            dependencies: ["KeepCore", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: upcomingFeatures
        ),
        // The protocol's messages and errors as they travel: Codable types over the core, nothing else, so that
        // the fuzz target's sanitized build stays small.
        .target(name: "KeepWire", dependencies: ["KeepCore"], swiftSettings: upcomingFeatures),
        // The sync protocol: the server's side over a tenant store, the client's sync engine. No HTTP.
        .target(
            name: "KeepProtocol",
            dependencies: [
                "KeepCore", "KeepStore", "KeepWire",
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "NIOCore", package: "swift-nio"),
            ],
            swiftSettings: upcomingFeatures
        ),
        // The server's shops: the catalog of shops and devices, the pool of open tenant stores, administration,
        // migration, backup and restore; the cluster's directory in PostgreSQL. No HTTP.
        .target(
            name: "KeepTenancy",
            dependencies: [
                "KeepCore", "KeepStore", "KeepProtocol",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: upcomingFeatures
        ),
        // The sync server's HTTP on Hummingbird: routes, controllers, middleware, TLS and metrics, over KeepTenancy.
        .target(
            name: "KeepServer",
            dependencies: [
                "KeepCore", "KeepStore", "KeepProtocol", "KeepTenancy",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: upcomingFeatures
        ),
        // The laptop's side of the wire: the sync protocol over HTTPS with a pinned certificate, the certificate probe,
        // the saved device token, and what a failed exchange means for the shop owner.
        .target(
            name: "KeepSyncClient",
            dependencies: [
                "KeepCore", "KeepProtocol",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPCompression", package: "swift-nio-extras"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: upcomingFeatures
        ),
        // The `keep` command line's commands, as a library so that tests can reach its pieces.
        .target(
            name: "KeepCLI",
            dependencies: [
                "KeepCore", "KeepStore", "KeepProtocol", "KeepSyncClient",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "SwiftCSV", package: "SwiftCSV"),
            ],
            swiftSettings: upcomingFeatures
        ),
        .executableTarget(name: "keep", dependencies: ["KeepCLI"], swiftSettings: upcomingFeatures),
        .executableTarget(
            name: "keep-server",
            dependencies: [
                "KeepCore", "KeepStore", "KeepTenancy", "KeepServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: upcomingFeatures
        ),
        // The fuzz target for the request decoder and the merge (scripts/fuzz builds it with -sanitize=fuzzer);
        // built plainly, it replays a corpus.
        .executableTarget(name: "keep-fuzz", dependencies: ["KeepCore", "KeepWire"], swiftSettings: upcomingFeatures),
        // Benchmarks: builds big stores and times Keepword against them.
        .executableTarget(
            name: "keep-bench",
            dependencies: [
                "KeepCore", "KeepStore", "KeepProtocol", "KeepTenancy", "KeepSyncClient",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: upcomingFeatures
        ),
        .testTarget(
            name: "KeepCoreTests",
            dependencies: ["KeepCore", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: upcomingFeatures
        ),
        .testTarget(
            name: "KeepStoreTests",
            dependencies: ["KeepStore", "KeepCore", "KeepTestSupport", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: upcomingFeatures
        ),
        .testTarget(
            name: "KeepCLITests",
            dependencies: ["KeepCLI", "KeepStore", "KeepCore", "keep", "KeepTestSupport", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: upcomingFeatures
        ),
        .testTarget(
            name: "KeepProtocolTests",
            dependencies: ["KeepProtocol", "KeepStore", "KeepCore", "KeepTestSupport"],
            swiftSettings: upcomingFeatures
        ),
        // What the test targets that run real processes share: finding the built executables and running them.
        .target(name: "KeepTestSupport", path: "Tests/KeepTestSupport", swiftSettings: upcomingFeatures),
        .testTarget(
            name: "KeepServerTests",
            dependencies: [
                "KeepServer", "KeepTenancy", "KeepProtocol", "KeepStore", "KeepCore", "keep-server", "KeepTestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: upcomingFeatures
        ),
        .testTarget(
            name: "KeepSyncTests",
            dependencies: [
                "KeepSyncClient", "KeepProtocol", "KeepStore", "KeepCore", "keep", "keep-server", "keep-bench", "KeepTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: upcomingFeatures
        ),
    ]
)
