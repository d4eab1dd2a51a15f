// swift-tools-version: 6.2
import PackageDescription

/// Settings every Vigil target shares: Swift 6 mode, strict visibility, warnings as errors.
let strict: [SwiftSetting] = [
  .enableUpcomingFeature("ExistentialAny"),
  .enableUpcomingFeature("MemberImportVisibility"),
  .treatAllWarnings(as: .error),
]

let package = Package(
  name: "Vigil",
  platforms: [.macOS(.v15)],
  products: [
    .executable(name: "vigil", targets: ["vigil"])
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
    .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.5.0"),
  ],
  targets: [
    // Pure logic: no NIO, no database. Builds and tests in seconds.
    .target(name: "VigilJSON", swiftSettings: strict),
    .target(
      name: "EventsAPIModel",
      dependencies: ["VigilJSON"],
      swiftSettings: strict),
    .target(
      name: "EmulatorCore",
      dependencies: [
        "EventsAPIModel", "VigilJSON",
        .product(name: "Crypto", package: "swift-crypto"),
      ],
      swiftSettings: strict),

    .target(
      name: "VigilCore",
      dependencies: ["EventsAPIModel", "VigilJSON"],
      swiftSettings: strict),
    .target(
      name: "VigilQuery",
      dependencies: ["VigilCore", "EventsAPIModel", "VigilJSON"],
      swiftSettings: strict),
    .target(
      name: "VigilFormats",
      dependencies: ["VigilCore", "EventsAPIModel", "VigilJSON"],
      swiftSettings: strict),
    .target(
      name: "Enrichment",
      dependencies: ["VigilCore", "EventsAPIModel", "VigilJSON"],
      swiftSettings: strict),
    .target(
      name: "VigilConfig",
      dependencies: ["VigilCore", "Enrichment", "EventsAPIModel", .product(name: "Yams", package: "Yams")],
      swiftSettings: strict),

    // I/O wrappers.
    .target(
      name: "SQLiteStore",
      dependencies: [
        "VigilCore", "VigilQuery", "EventsAPIModel", "VigilJSON",
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "GRDBSQLite", package: "GRDB.swift"),
      ],
      swiftSettings: strict),
    .target(
      name: "Collector",
      dependencies: [
        "EventsAPI", "EventsAPIModel", "VigilCore", "Enrichment",
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ],
      swiftSettings: strict),
    .target(
      name: "EventsAPI",
      dependencies: [
        "EventsAPIModel", "VigilJSON",
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "NIOHTTP1", package: "swift-nio"),
        .product(name: "NIOSSL", package: "swift-nio-ssl"),
      ],
      swiftSettings: strict),
    .target(
      name: "Emulator",
      dependencies: [
        "EmulatorCore", "EventsAPIModel", "VigilJSON",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "HTTPTypes", package: "swift-http-types"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
      ],
      swiftSettings: strict),
    .target(
      name: "VigilCLI",
      dependencies: [
        "Collector", "EventsAPI", "EventsAPIModel", "Emulator", "EmulatorCore", "SQLiteStore", "VigilConfig",
        "VigilCore", "VigilJSON", "VigilQuery", "VigilFormats", "Enrichment",
        .product(name: "CompressNIO", package: "compress-nio"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "UnixSignals", package: "swift-service-lifecycle"),
      ],
      swiftSettings: strict),
    .executableTarget(name: "vigil", dependencies: ["VigilCLI"], swiftSettings: strict),
    .executableTarget(
      name: "VigilBench",
      dependencies: ["EventsAPIModel", "VigilJSON", "EmulatorCore"],
      path: "Benchmarks/VigilBench",
      swiftSettings: strict),

    .executableTarget(
      name: "IngestBaseline",
      dependencies: ["SQLiteStore", .product(name: "GRDBSQLite", package: "GRDB.swift")],
      path: "Benchmarks/IngestBaseline",
      swiftSettings: strict),

    .executableTarget(
      name: "SearchBench",
      dependencies: ["SQLiteStore", "VigilQuery", "VigilCore", "EmulatorCore", "EventsAPIModel", "VigilJSON"],
      path: "Benchmarks/SearchBench",
      swiftSettings: strict),

    .executableTarget(
      name: "IntelBench",
      dependencies: ["Enrichment", "VigilCore", "EventsAPIModel"],
      path: "Benchmarks/IntelBench",
      swiftSettings: strict),

    // Tests: one target per module.
    .testTarget(
      name: "VigilJSONTests",
      dependencies: ["VigilJSON", .product(name: "PropertyBased", package: "swift-property-based")],
      exclude: ["Fixtures"],
      swiftSettings: strict),
    .testTarget(
      name: "EventsAPIModelTests",
      dependencies: [
        "EventsAPIModel", "VigilJSON",
        .product(name: "PropertyBased", package: "swift-property-based"),
      ],
      exclude: ["Fixtures"],
      swiftSettings: strict),
    .testTarget(
      name: "EmulatorCoreTests",
      dependencies: ["EmulatorCore", "EventsAPIModel", "VigilJSON"],
      swiftSettings: strict),
    .testTarget(
      name: "EventsAPITests",
      dependencies: [
        "EventsAPI", "Emulator", "EmulatorCore", "EventsAPIModel", .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: strict),
    .testTarget(
      name: "VigilCoreTests",
      dependencies: [
        "VigilCore", "EventsAPIModel", "VigilJSON",
        .product(name: "PropertyBased", package: "swift-property-based"),
      ],
      exclude: ["Fixtures"],
      swiftSettings: strict),
    .testTarget(
      name: "VigilQueryTests",
      dependencies: [
        "VigilQuery", "VigilCore", "EventsAPIModel", "VigilJSON", "EmulatorCore",
        .product(name: "PropertyBased", package: "swift-property-based"),
      ],
      exclude: ["Fixtures"],
      swiftSettings: strict),
    .testTarget(
      name: "VigilFormatsTests",
      dependencies: ["VigilFormats", "VigilCore", "Enrichment", "EventsAPIModel", "VigilJSON"],
      exclude: ["Fixtures"],
      swiftSettings: strict),
    .testTarget(
      name: "EnrichmentTests",
      dependencies: [
        "Enrichment", "VigilCore", "EventsAPIModel", "VigilJSON",
        .product(name: "PropertyBased", package: "swift-property-based"),
      ],
      exclude: ["Fixtures"],
      swiftSettings: strict),
    .testTarget(
      name: "VigilConfigTests",
      dependencies: ["VigilConfig", "VigilCore", "EventsAPIModel"],
      swiftSettings: strict),
    .testTarget(
      name: "SQLiteStoreTests",
      dependencies: ["SQLiteStore", "VigilCore", "VigilQuery", "EventsAPIModel", "EmulatorCore", "VigilJSON"],
      swiftSettings: strict),
    .testTarget(
      name: "CollectorTests",
      dependencies: [
        "Collector", "SQLiteStore", "VigilCore", "EventsAPI", "EventsAPIModel", "Emulator", "EmulatorCore",
        "Enrichment",
        .product(name: "Logging", package: "swift-log"),
      ],
      swiftSettings: strict),
    .testTarget(
      name: "VigilCLITests",
      dependencies: [
        "VigilCLI", "SQLiteStore", "VigilCore", "VigilQuery", "Emulator", "EmulatorCore", "EventsAPIModel",
        "Enrichment", "VigilJSON",
      ],
      swiftSettings: strict),
  ]
)
