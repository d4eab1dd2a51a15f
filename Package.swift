// swift-tools-version: 6.2
import PackageDescription

/// Settings every Vigil target shares: Swift 6 mode, strict visibility, warnings as errors.
let strict: [SwiftSetting] = [
  .enableUpcomingFeature("ExistentialAny"),
  .enableUpcomingFeature("MemberImportVisibility"),
  .treatAllWarnings(as: .error),
]

/// The benchmark executables build only when asked (`scripts/bench` sets VIGIL_BENCHMARKS=1): users and
/// the test suite never wait for them.
let withBenchmarks = Context.environment["VIGIL_BENCHMARKS"] != nil

extension Target.Dependency {
  static let logging = Target.Dependency.product(name: "Logging", package: "swift-log")
  static let lifecycle = Target.Dependency.product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
  static let nioCore = Target.Dependency.product(name: "NIOCore", package: "swift-nio")
  static let propertyBased = Target.Dependency.product(name: "PropertyBased", package: "swift-property-based")
  static let grdb = Target.Dependency.product(name: "GRDB", package: "GRDB.swift")
  static let grdbSQLite = Target.Dependency.product(name: "GRDBSQLite", package: "GRDB.swift")
  static let yams = Target.Dependency.product(name: "Yams", package: "Yams")
  static let metrics = Target.Dependency.product(name: "CoreMetrics", package: "swift-metrics")
}

// Modules in data-flow order (see docs/architecture.md). Pure modules import no NIO and no database.
var targets: [Target] = [
  // base
  .target(name: "VigilJSON", swiftSettings: strict),
  .target(name: "VigilBase", swiftSettings: strict),

  // source: the Events API's model and client, the emulator, the HTTP transport
  .target(name: "VigilEventsAPIModel", dependencies: ["VigilBase", "VigilJSON"], swiftSettings: strict),
  .target(
    name: "VigilEventsAPI", dependencies: ["VigilBase", "VigilEventsAPIModel", "VigilJSON", .logging, .metrics],
    swiftSettings: strict),
  .target(
    name: "VigilEmulatorCore",
    dependencies: [
      "VigilBase", "VigilEventsAPIModel", "VigilJSON", .product(name: "Crypto", package: "swift-crypto"),
    ],
    swiftSettings: strict),
  .target(
    name: "VigilEmulator",
    dependencies: [
      "VigilBase", "VigilEmulatorCore", "VigilEventsAPIModel", "VigilJSON", .logging, .lifecycle, .nioCore,
      .product(name: "Hummingbird", package: "hummingbird"),
      .product(name: "HTTPTypes", package: "swift-http-types"),
    ],
    swiftSettings: strict),
  .target(
    name: "VigilHTTP",
    dependencies: [
      "VigilBase", .nioCore,
      .product(name: "AsyncHTTPClient", package: "async-http-client"),
      .product(name: "NIOHTTP1", package: "swift-nio"),
      .product(name: "NIOSSL", package: "swift-nio-ssl"),
    ],
    swiftSettings: strict),

  // ingest: the canonical event, catalog, normalizer, ingest stage and store roles; the collector
  .target(name: "VigilCore", dependencies: ["VigilBase", "VigilEventsAPIModel", "VigilJSON"], swiftSettings: strict),
  .target(
    name: "VigilCollector",
    dependencies: ["VigilBase", "VigilCore", "VigilEventsAPI", "VigilEventsAPIModel", .logging, .lifecycle, .metrics],
    swiftSettings: strict),

  // enrich: databases, feeds and lookups; keeping them current while running
  .target(
    name: "VigilEnrichment", dependencies: ["VigilBase", "VigilCore", "VigilEventsAPIModel", "VigilJSON"],
    swiftSettings: strict),
  .target(
    name: "VigilEnrichmentRefresh",
    dependencies: ["VigilBase", "VigilCore", "VigilEnrichment", .logging, .lifecycle],
    swiftSettings: strict),

  // store
  .target(
    name: "VigilSQLite",
    dependencies: [
      "VigilBase", "VigilCore", "VigilEventsAPIModel", "VigilJSON", "VigilQuery", .grdb, .grdbSQLite,
    ],
    swiftSettings: strict),

  .target(
    name: "VigilPostgres",
    dependencies: [
      "VigilBase", "VigilCore", "VigilEventsAPIModel", "VigilJSON", "VigilQuery", .logging, .nioCore,
      .product(name: "PostgresNIO", package: "postgres-nio"),
      .product(name: "NIOSSL", package: "swift-nio-ssl"),
    ],
    swiftSettings: strict),

  // query: one language for the CLI, API, dashboards, rules and sink filters
  .target(
    name: "VigilQuery", dependencies: ["VigilBase", "VigilCore", "VigilEventsAPIModel", "VigilJSON"],
    swiftSettings: strict),

  // forward: export and sink formats
  .target(
    name: "VigilFormats", dependencies: ["VigilBase", "VigilCore", "VigilEventsAPIModel", "VigilJSON"],
    swiftSettings: strict),

  // forward: sinks (pure: settings, batching, each receiver's requests and how to read its answers),
  // then the forwarder (the tail loop per sink, HTTP, syslog and file delivery)
  .target(
    name: "VigilSinks",
    dependencies: ["VigilBase", "VigilCore", "VigilEventsAPIModel", "VigilFormats", "VigilJSON", "VigilQuery"],
    swiftSettings: strict),
  .target(
    name: "VigilForwarder",
    dependencies: [
      "VigilBase", "VigilCore", "VigilEventsAPIModel", "VigilFormats", "VigilQuery", "VigilSinks", .logging,
      .lifecycle, .nioCore, .metrics, .product(name: "NIOPosix", package: "swift-nio"),
      .product(name: "NIOSSL", package: "swift-nio-ssl"), .product(name: "CompressNIO", package: "compress-nio"),
    ],
    swiftSettings: strict),

  // serve: charts drawn as SVG in Swift (pure), the web app and its JSON API
  .target(name: "VigilCharts", dependencies: ["VigilBase"], swiftSettings: strict),
  // Dashboards as data (the built-in set is YAML embedded in the binary), panels run into charts.
  .target(
    name: "VigilDashboards",
    dependencies: ["VigilBase", "VigilCharts", "VigilCore", "VigilQuery", "VigilYAML", .yams],
    resources: [
      .embedInCode("Builtin/overview.yaml"), .embedInCode("Builtin/signins.yaml"),
      .embedInCode("Builtin/failed-signins.yaml"), .embedInCode("Builtin/map.yaml"),
      .embedInCode("Builtin/item-usage.yaml"), .embedInCode("Builtin/audit.yaml"),
      .embedInCode("Builtin/threat-intel.yaml"),
    ],
    swiftSettings: strict),

  // The web app: pages rendered on the server, the JSON API, login and sessions.
  .target(
    name: "VigilWeb",
    dependencies: [
      "VigilBase", "VigilCharts", "VigilCore", "VigilDashboards", "VigilEventsAPIModel", "VigilFormats", "VigilJSON",
      "VigilQuery", .logging,
      .lifecycle, .nioCore, .product(name: "Crypto", package: "swift-crypto"),
      .product(name: "Hummingbird", package: "hummingbird"), .product(name: "HummingbirdTLS", package: "hummingbird"),
      .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
      .product(name: "HTTPTypes", package: "swift-http-types"), .product(name: "NIOSSL", package: "swift-nio-ssl"),
    ],
    resources: [.embedInCode("Resources/openapi.yaml")],
    swiftSettings: strict),

  // compose: configuration, the one composition root, the commands, the executable
  .target(name: "VigilYAML", dependencies: ["VigilCore", .yams], swiftSettings: strict),
  .target(
    name: "VigilDetection",
    dependencies: ["VigilBase", "VigilCore", "VigilEventsAPIModel", "VigilJSON", "VigilQuery", "VigilYAML", .yams],
    swiftSettings: strict),
  .target(
    name: "VigilDetectionService",
    dependencies: [
      "VigilBase", "VigilCore", "VigilDetection", "VigilEventsAPIModel", .logging, .lifecycle, .metrics,
      .product(name: "Crypto", package: "swift-crypto"),
    ],
    swiftSettings: strict),
  // The SMTP client behind email notifications (no package on the list speaks SMTP).
  .target(
    name: "VigilSMTP",
    dependencies: [
      "VigilBase", .nioCore, .product(name: "NIOPosix", package: "swift-nio"),
      .product(name: "NIOSSL", package: "swift-nio-ssl"),
    ],
    swiftSettings: strict),
  .target(
    name: "VigilConfig",
    dependencies: [
      "VigilBase", "VigilCollector", "VigilCore", "VigilDashboards", "VigilDetection", "VigilEnrichment",
      "VigilEventsAPIModel", "VigilFormats", "VigilQuery", "VigilSinks", "VigilYAML", .yams,
    ],
    swiftSettings: strict),
  .target(
    name: "VigilRuntime",
    dependencies: [
      "VigilBase", "VigilCollector", "VigilConfig", "VigilCore", "VigilDetection", "VigilDetectionService",
      "VigilDashboards", "VigilEnrichment", "VigilEnrichmentRefresh", "VigilEventsAPI", "VigilEventsAPIModel",
      "VigilHTTP",
      "VigilForwarder", "VigilFormats", "VigilPostgres", "VigilQuery", "VigilSMTP", "VigilSQLite", "VigilSinks",
      "VigilWeb", "VigilYAML", .logging, .lifecycle,
      .product(name: "Metrics", package: "swift-metrics"), .product(name: "Prometheus", package: "swift-prometheus"),
      .product(name: "UnixSignals", package: "swift-service-lifecycle"),
    ],
    swiftSettings: strict),
  .target(
    name: "VigilCLI",
    dependencies: [
      "VigilBase", "VigilCollector", "VigilConfig", "VigilCore", "VigilDetection", "VigilDetectionService",
      "VigilEmulator", "VigilEmulatorCore", "VigilEnrichment", "VigilEnrichmentRefresh", "VigilEventsAPI",
      "VigilEventsAPIModel",
      "VigilDashboards", "VigilFormats", "VigilForwarder", "VigilJSON", "VigilQuery", "VigilRuntime", "VigilSinks",
      "VigilWeb", "VigilYAML", .logging,
      .lifecycle,
      .product(name: "ArgumentParser", package: "swift-argument-parser"),
      .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
      .product(name: "CompressNIO", package: "compress-nio"),
      .product(name: "UnixSignals", package: "swift-service-lifecycle"),
      .nioCore,
    ],
    swiftSettings: strict),
  .executableTarget(name: "vigil", dependencies: ["VigilCLI"], swiftSettings: strict),

  // Fixtures, harnesses and fakes shared by the test targets.
  .target(
    name: "VigilTestSupport",
    dependencies: [
      "VigilBase", "VigilCore", "VigilEmulator", "VigilEmulatorCore", "VigilEventsAPI", "VigilEventsAPIModel",
      "VigilHTTP", "VigilJSON", "VigilQuery", .logging, .lifecycle, .nioCore,
      .product(name: "Hummingbird", package: "hummingbird"), .product(name: "NIOPosix", package: "swift-nio"),
      .product(name: "PostgresNIO", package: "postgres-nio"),
      .product(name: "CompressNIO", package: "compress-nio"), .product(name: "HTTPTypes", package: "swift-http-types"),
    ],
    path: "Tests/VigilTestSupport",
    exclude: ["Fixtures"],
    swiftSettings: strict),

  // Tests: one target per module.
  .testTarget(
    name: "VigilJSONTests", dependencies: ["VigilJSON", .propertyBased], exclude: ["Fixtures"], swiftSettings: strict),
  .testTarget(
    name: "VigilBaseTests", dependencies: ["VigilBase", "VigilTestSupport", .propertyBased], swiftSettings: strict),
  .testTarget(
    name: "VigilEventsAPIModelTests",
    dependencies: ["VigilBase", "VigilEventsAPIModel", "VigilJSON", "VigilTestSupport", .propertyBased],
    swiftSettings: strict),
  .testTarget(
    name: "VigilEventsAPITests",
    dependencies: [
      "VigilBase", "VigilEmulator", "VigilEmulatorCore", "VigilEventsAPI", "VigilEventsAPIModel", "VigilHTTP",
      "VigilTestSupport", .logging,
    ],
    swiftSettings: strict),
  .testTarget(
    name: "VigilEmulatorCoreTests",
    dependencies: ["VigilBase", "VigilEmulatorCore", "VigilEventsAPIModel", "VigilJSON", "VigilTestSupport"],
    swiftSettings: strict),
  .testTarget(
    name: "VigilHTTPTests",
    dependencies: [
      "VigilBase", "VigilHTTP", "VigilTestSupport", .logging, .lifecycle,
      .product(name: "Hummingbird", package: "hummingbird"),
    ],
    swiftSettings: strict),
  .testTarget(
    name: "VigilSinksTests",
    dependencies: [
      "VigilBase", "VigilCore", "VigilEventsAPIModel", "VigilFormats", "VigilJSON", "VigilQuery", "VigilSinks",
      "VigilTestSupport", .propertyBased,
    ],
    swiftSettings: strict),
  .testTarget(
    name: "VigilForwarderTests",
    dependencies: [
      "VigilBase", "VigilCollector", "VigilCore", "VigilEmulatorCore", "VigilEventsAPI", "VigilEventsAPIModel",
      "VigilFormats", "VigilForwarder", "VigilHTTP", "VigilJSON", "VigilQuery", "VigilSQLite", "VigilSinks",
      "VigilTestSupport", .logging, .lifecycle,
      .product(name: "Hummingbird", package: "hummingbird"),
    ],
    swiftSettings: strict),
  .testTarget(
    name: "VigilCoreTests",
    dependencies: [
      "VigilBase", "VigilCore", "VigilEventsAPIModel", "VigilJSON", "VigilTestSupport", .propertyBased,
    ],
    swiftSettings: strict),
  .testTarget(
    name: "VigilCollectorTests",
    dependencies: [
      "VigilBase", "VigilCollector", "VigilCore", "VigilEmulator", "VigilEmulatorCore", "VigilEnrichment",
      "VigilEventsAPI", "VigilEventsAPIModel", "VigilHTTP", "VigilSQLite", "VigilTestSupport", .logging,
    ],
    swiftSettings: strict),
  .testTarget(
    name: "VigilEnrichmentTests",
    dependencies: [
      "VigilBase", "VigilCore", "VigilEnrichment", "VigilEventsAPIModel", "VigilJSON", "VigilTestSupport",
      .propertyBased,
    ],
    exclude: ["Fixtures"],
    swiftSettings: strict),
  .testTarget(
    name: "VigilEnrichmentRefreshTests",
    dependencies: [
      "VigilBase", "VigilCore", "VigilEnrichment", "VigilEnrichmentRefresh", "VigilEventsAPIModel", "VigilTestSupport",
      .logging,
    ],
    swiftSettings: strict),
  .testTarget(
    name: "VigilSQLiteTests",
    dependencies: [
      "VigilBase", "VigilCore", "VigilEmulatorCore", "VigilEventsAPIModel", "VigilJSON", "VigilQuery",
      "VigilSQLite", "VigilTestSupport",
    ],
    swiftSettings: strict),
  .testTarget(
    name: "VigilPostgresTests",
    dependencies: [
      "VigilBase", "VigilCore", "VigilEmulatorCore", "VigilEventsAPIModel", "VigilPostgres", "VigilQuery",
      "VigilTestSupport",
    ],
    swiftSettings: strict),
  .testTarget(
    name: "VigilQueryTests",
    dependencies: [
      "VigilBase", "VigilCore", "VigilEmulatorCore", "VigilEventsAPIModel", "VigilJSON", "VigilQuery",
      "VigilTestSupport", .propertyBased,
    ],
    exclude: ["Fixtures"],
    swiftSettings: strict),
  .testTarget(
    name: "VigilDetectionTests",
    dependencies: [
      "VigilBase", "VigilCore", "VigilDetection", "VigilEmulatorCore", "VigilEventsAPIModel", "VigilJSON", "VigilQuery",
      "VigilTestSupport", "VigilYAML",
    ],
    swiftSettings: strict),
  .testTarget(
    name: "VigilDetectionServiceTests",
    dependencies: [
      "VigilBase", "VigilCore", "VigilDetection", "VigilDetectionService", "VigilEventsAPIModel", "VigilHTTP",
      "VigilSMTP", "VigilTestSupport", .logging, .product(name: "Crypto", package: "swift-crypto"),
      .product(name: "Hummingbird", package: "hummingbird"),
    ],
    swiftSettings: strict),
  .testTarget(
    name: "VigilSMTPTests",
    dependencies: ["VigilBase", "VigilSMTP", "VigilTestSupport"],
    swiftSettings: strict),
  .testTarget(
    name: "VigilFormatsTests",
    dependencies: [
      "VigilBase", "VigilCore", "VigilEnrichment", "VigilEventsAPIModel", "VigilFormats", "VigilJSON",
      "VigilTestSupport",
    ],
    exclude: ["Fixtures"],
    swiftSettings: strict),
  .testTarget(
    name: "VigilConfigTests",
    dependencies: [
      "VigilBase", "VigilConfig", "VigilCore", "VigilDashboards", "VigilDetection", "VigilEventsAPIModel",
      "VigilTestSupport", "VigilYAML",
    ],
    swiftSettings: strict),
  .testTarget(
    name: "VigilChartsTests", dependencies: ["VigilBase", "VigilCharts", .propertyBased], exclude: ["Fixtures"],
    swiftSettings: strict),
  .testTarget(
    name: "VigilDashboardsTests",
    dependencies: [
      "VigilBase", "VigilCharts", "VigilCore", "VigilDashboards", "VigilEventsAPIModel", "VigilQuery",
      "VigilTestSupport",
      "VigilYAML",
    ],
    exclude: ["Fixtures"], swiftSettings: strict),
  .testTarget(
    name: "VigilWebTests",
    dependencies: [
      "VigilBase", "VigilCharts", "VigilCore", "VigilDashboards", "VigilEventsAPIModel", "VigilHTTP", "VigilJSON",
      "VigilQuery", "VigilTestSupport", "VigilWeb", .logging, .lifecycle, .nioCore,
      .product(name: "HTTPTypes", package: "swift-http-types"),
      .product(name: "Hummingbird", package: "hummingbird"),
      .product(name: "HummingbirdTesting", package: "hummingbird"),
      .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
    ],
    swiftSettings: strict),
  .testTarget(
    name: "VigilRuntimeTests",
    dependencies: [
      "VigilBase", "VigilCollector", "VigilConfig", "VigilCore", "VigilEmulator", "VigilEmulatorCore",
      "VigilEventsAPIModel", "VigilHTTP", "VigilQuery", "VigilRuntime", "VigilSQLite",
      "VigilTestSupport", "VigilWeb", "VigilYAML", .logging,
    ],
    swiftSettings: strict),
  .testTarget(
    name: "VigilCLITests",
    dependencies: [
      "VigilBase", "VigilCLI", "VigilConfig", "VigilRuntime", "VigilCore", "VigilEmulator", "VigilEmulatorCore",
      "VigilPostgres",
      "VigilEnrichment",
      "VigilEventsAPIModel", "VigilJSON", "VigilQuery", "VigilSQLite", "VigilTestSupport",
    ],
    swiftSettings: strict),
]

if withBenchmarks {
  targets += [
    .executableTarget(
      name: "VigilBench", dependencies: ["VigilBase", "VigilEmulatorCore", "VigilEventsAPIModel", "VigilJSON"],
      path: "Benchmarks/VigilBench", swiftSettings: strict),
    .executableTarget(
      name: "IngestBaseline", dependencies: ["VigilSQLite", .grdbSQLite], path: "Benchmarks/IngestBaseline",
      swiftSettings: strict),
    .executableTarget(
      name: "SearchBench",
      dependencies: [
        "VigilBase", "VigilCore", "VigilEmulatorCore", "VigilEventsAPIModel", "VigilJSON", "VigilQuery",
        "VigilRuntime",
      ],
      path: "Benchmarks/SearchBench", swiftSettings: strict),
    .executableTarget(
      name: "DetectBench",
      dependencies: [
        "VigilBase", "VigilCore", "VigilDetection", "VigilEmulatorCore", "VigilEventsAPIModel", "VigilJSON",
        "VigilQuery",
      ],
      path: "Benchmarks/DetectBench", swiftSettings: strict),
    .executableTarget(
      name: "SinkBench",
      dependencies: [
        "VigilBase", "VigilCore", "VigilEmulatorCore", "VigilEventsAPIModel", "VigilForwarder", "VigilHTTP",
        "VigilJSON", "VigilSQLite", "VigilSinks", .logging, .nioCore, .product(name: "NIOPosix", package: "swift-nio"),
        .product(name: "Hummingbird", package: "hummingbird"), .product(name: "CompressNIO", package: "compress-nio"),
      ],
      path: "Benchmarks/SinkBench", swiftSettings: strict),
    .executableTarget(
      name: "IntelBench", dependencies: ["VigilBase", "VigilCore", "VigilEnrichment", "VigilEventsAPIModel"],
      path: "Benchmarks/IntelBench", swiftSettings: strict),
  ]
}

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
    .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
    .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.5.0"),
    .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
    .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
  ],
  targets: targets
)
