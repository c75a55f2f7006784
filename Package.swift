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
        .library(name: "KeepCore", targets: ["KeepCore"]),
        .library(name: "KeepStore", targets: ["KeepStore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
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
        // The `keep` command line, as a library so that tests can reach its pieces.
        .target(
            name: "KeepCLI",
            dependencies: [
                "KeepCore", "KeepStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: upcomingFeatures
        ),
        .executableTarget(name: "keep", dependencies: ["KeepCLI"], swiftSettings: upcomingFeatures),
        // Benchmarks: builds big stores and times Keepword against them.
        .executableTarget(
            name: "keep-bench",
            dependencies: ["KeepCore", "KeepStore", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: upcomingFeatures
        ),
        .testTarget(
            name: "KeepCoreTests",
            dependencies: ["KeepCore", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: upcomingFeatures
        ),
        .testTarget(
            name: "KeepStoreTests",
            dependencies: ["KeepStore", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: upcomingFeatures
        ),
        .testTarget(
            name: "KeepCLITests",
            dependencies: ["KeepCLI", "KeepStore", "keep", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: upcomingFeatures
        ),
    ]
)
