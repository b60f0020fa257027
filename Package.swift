// swift-tools-version: 6.2
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "nimbus",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "nimbus", targets: ["nimbus"])
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swiftlang/swift-subprocess.git", from: "1.0.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-system.git", from: "1.8.1"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        // Pure model, identifiers, state machines and cross-module protocols. No I/O.
        .target(
            name: "NimbusCore",
            swiftSettings: swiftSettings
        ),
        // SAM / CloudFormation YAML → NimbusCore model.
        .target(
            name: "NimbusTemplate",
            dependencies: ["NimbusCore", .product(name: "Yams", package: "Yams")],
            swiftSettings: swiftSettings
        ),
        // AWS Signature Version 4: canonical requests, signing, verification.
        .target(
            name: "NimbusSigV4",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings
        ),
        .systemLibrary(
            name: "CSQLite",
            path: "Sources/CSQLite",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        // DynamoDB JSON protocol over SQLite.
        .target(
            name: "NimbusDynamo",
            dependencies: [
                "NimbusCore", "CSQLite",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // S3 REST/XML protocol over files on disk.
        .target(
            name: "NimbusS3",
            dependencies: [
                "NimbusCore", "NimbusSigV4",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // Worker processes, the Runtime API, pools.
        .target(
            name: "NimbusWorkers",
            dependencies: [
                "NimbusCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOFoundationCompat", package: "swift-nio"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            resources: [.copy("Bootstrap")],
            swiftSettings: swiftSettings
        ),
        // API routes → API Gateway events, auth, Invoke API, health.
        .target(
            name: "NimbusGateway",
            dependencies: [
                "NimbusCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // Composition root.
        .target(
            name: "NimbusPlatform",
            dependencies: [
                "NimbusCore", "NimbusTemplate", "NimbusWorkers", "NimbusGateway", "NimbusS3", "NimbusDynamo", "NimbusSigV4",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "nimbus",
            dependencies: [
                "NimbusPlatform", "NimbusTemplate", "NimbusCore", "NimbusWorkers", "NimbusSigV4",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "NimbusCoreTests", dependencies: ["NimbusCore"], swiftSettings: swiftSettings),
        .testTarget(
            name: "NimbusTemplateTests", dependencies: ["NimbusTemplate", "NimbusCore"],
            resources: [.copy("Fixtures")], swiftSettings: swiftSettings),
        .testTarget(name: "NimbusSigV4Tests", dependencies: ["NimbusSigV4"], swiftSettings: swiftSettings),
        .testTarget(name: "NimbusDynamoTests", dependencies: ["NimbusDynamo", "NimbusCore"], swiftSettings: swiftSettings),
        .testTarget(
            name: "NimbusS3Tests",
            dependencies: [
                "NimbusS3", "NimbusCore", "NimbusSigV4",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "NimbusGatewayTests",
            dependencies: ["NimbusGateway", "NimbusCore", .product(name: "HummingbirdTesting", package: "hummingbird")],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "NimbusPlatformTests",
            dependencies: [
                "NimbusPlatform", "NimbusWorkers", "NimbusCore", "NimbusTemplate",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings),
    ]
)

