import Collector
import Emulator
import EmulatorCore
import EventsAPI
import EventsAPIModel
import Foundation
import Logging
import SQLiteStore
import Testing
import VigilCore

/// An emulator on a free loopback port, a SQLite store in a temporary directory, and collectors
/// between them, all on one manual clock so that hours of polling, backoff and late insertion take
/// no real time.
final class CollectorHarness: Sendable {
  let emulator: RunningEmulator
  let clock: ManualClock
  let transport: AsyncHTTPTransport
  let store: any EventStore
  let directory: String

  static let start = Timestamp(rfc3339: "2026-11-04T18:00:00Z") ?? Timestamp(seconds: 0)

  init(store: (any EventStore)? = nil, _ configure: (inout EmulatorOptions) -> Void = { _ in }) async throws {
    var options = EmulatorOptions()
    options.users = 25
    options.days = 5
    configure(&options)
    clock = ManualClock(start: Self.start)
    emulator = try await RunningEmulator.start(engine: try EmulatorEngine(options: options, clock: clock))
    var transportOptions = AsyncHTTPTransport.Options()
    transportOptions.requestTimeout = 10
    transportOptions.connectTimeout = 1
    transport = try AsyncHTTPTransport(options: transportOptions)
    directory =
      FileManager.default.temporaryDirectory.appendingPathComponent(
        "vigil-collector-\(UInt64.random(in: 0...UInt64.max))"
      ).path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    self.store = try store ?? SQLiteEventStore(path: directory + "/vigil.db")
  }

  var engine: EmulatorEngine { emulator.engine }

  func account(
    _ name: String = "acme", emulatorAccount: String? = nil, streams: [EventStream] = EventStream.allCases,
    limits: RateLimits = .eventsAPI
  ) throws -> (CollectorAccount, token: String) {
    let issued = try engine.issueToken(account: emulatorAccount)
    var configuration = EventsAPIClient.Configuration(baseURL: emulator.baseURL)
    configuration.limits = limits
    configuration.backoff = Backoff(base: 1, cap: 30)
    let client = try EventsAPIClient(
      token: try EventsToken(issued.token), configuration: configuration, transport: transport, clock: clock,
      logger: Self.quietLogger)
    let start = Self.start.adding(seconds: -119 * 86_400)
    return (CollectorAccount(name: name, client: client, streams: streams, start: start), issued.token)
  }

  func collector(
    _ accounts: [CollectorAccount], untilCaughtUp: Bool = true, keepCursor: Bool = false,
    report: @escaping @Sendable (PageReport) -> Void = { _ in }
  ) -> Collector {
    var options = CollectorOptions()
    options.untilCaughtUp = untilCaughtUp
    options.keepCursor = keepCursor
    options.pollInterval = 30
    return Collector(
      accounts: accounts, store: store, clock: clock, options: options, logger: Self.quietLogger, report: report)
  }

  /// Every stream of `account` in the store must hold exactly the emulator's ground truth as of the
  /// moment the stream last caught up: all of it, once, and nothing the API never served. (Streams
  /// catch up at different moments when throttling moves the clock; events inserted after a stream
  /// caught up are for its next poll.)
  func expectExact(
    account: String = "acme", emulatorAccount: String? = nil, sourceLocation: SourceLocation = #_sourceLocation
  ) async throws {
    for stream in EventStream.allCases {
      let stored = try await store.uuids(StreamKey(account: account, stream: stream))
      let caughtUp = try #require(
        try await store.streamState(StreamKey(account: account, stream: stream))?.caughtUpAt,
        "\(stream) never caught up", sourceLocation: sourceLocation)
      let served = Set(engine.groundTruth(account: emulatorAccount, stream: stream))
      let truth = Set(
        engine.allEvents(account: emulatorAccount, stream: stream).filter { $0.insertedAt <= caughtUp }.map(\.uuid)
      ).intersection(served)
      let storedSet = Set(stored)
      #expect(truth.count > 0, "\(stream): no events to compare", sourceLocation: sourceLocation)
      #expect(stored.count == storedSet.count, "\(stream): stored twice", sourceLocation: sourceLocation)
      #expect(
        truth.subtracting(storedSet).isEmpty,
        "\(stream): \(truth.subtracting(storedSet).count) of \(truth.count) missing", sourceLocation: sourceLocation)
      #expect(
        storedSet.subtracting(served).isEmpty,
        "\(stream): \(storedSet.subtracting(served).count) never served", sourceLocation: sourceLocation)
    }
  }

  static let quietLogger: Logger = {
    var logger = Logger(label: "vigil.test")
    logger.logLevel = .critical
    return logger
  }()

  func stop() async {
    try? await transport.shutdown()
    await emulator.stop()
    try? FileManager.default.removeItem(atPath: directory)
  }
}
