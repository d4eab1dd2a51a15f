import Emulator
import EmulatorCore
import EventsAPI
import EventsAPIModel
import Logging
import Testing

/// An emulator on a free loopback port and clients for it, sharing one manual clock so that rate
/// limits, Retry-After waits, token expiry and late insertion take no real time.
struct Harness {
  let emulator: RunningEmulator
  let clock: ManualClock
  let transport: AsyncHTTPTransport

  static let start = Timestamp(rfc3339: "2026-11-04T18:00:00Z") ?? Timestamp(seconds: 0)

  static func start(_ configure: (inout EmulatorOptions) -> Void = { _ in }) async throws -> Harness {
    var options = EmulatorOptions()
    options.users = 20
    options.days = 5
    configure(&options)
    let clock = ManualClock(start: start)
    let engine = try EmulatorEngine(options: options, clock: clock)
    let emulator = try await RunningEmulator.start(engine: engine)
    var transportOptions = AsyncHTTPTransport.Options()
    transportOptions.requestTimeout = 10
    transportOptions.connectTimeout = 1
    return Harness(emulator: emulator, clock: clock, transport: try AsyncHTTPTransport(options: transportOptions))
  }

  var engine: EmulatorEngine { emulator.engine }

  func token(account: String? = nil, features: [String]? = nil, expiresIn: Double? = nil) throws -> EventsToken {
    try EventsToken(engine.issueToken(account: account, features: features, expiresIn: expiresIn).token)
  }

  func client(
    _ token: EventsToken, version: APIVersion = .v2, limits: RateLimits = .eventsAPI, attempts: Int = 8,
    baseURL: String? = nil
  ) throws -> EventsAPIClient {
    var configuration = EventsAPIClient.Configuration(baseURL: baseURL ?? emulator.baseURL)
    configuration.version = version
    configuration.limits = limits
    configuration.maximumAttempts = attempts
    configuration.backoff = Backoff(base: 1, cap: 30)
    return try EventsAPIClient(
      token: token, configuration: configuration, transport: transport, clock: clock, logger: Self.quietLogger)
  }

  /// Pulls a stream from the beginning until caught up; returns every uuid received (with repeats).
  static func pullAll(
    _ client: EventsAPIClient, _ stream: EventStream, limit: Int = 1000, reader existing: StreamReader? = nil,
    maximumPages: Int = 100_000
  ) async throws -> (uuids: [String], reader: StreamReader) {
    var reader =
      existing ?? StreamReader(client: client, stream: stream, startTime: Timestamp(rfc3339: "2020-01-01T00:00:00Z"))
    reader.limit = limit
    var uuids: [String] = []
    for _ in 0..<maximumPages {
      let (page, caughtUp) = try await reader.next()
      uuids += page.items.compactMap(\.event.uuid)
      if caughtUp { return (uuids, reader) }
    }
    Issue.record("the stream never caught up")
    return (uuids, reader)
  }

  /// Retries are expected in these tests; only errors are worth printing.
  static let quietLogger: Logger = {
    var logger = Logger(label: "vigil.test")
    logger.logLevel = .error
    return logger
  }()

  func stop() async {
    try? await transport.shutdown()
    await emulator.stop()
  }
}
