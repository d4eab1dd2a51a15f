import Logging
import VigilBase
import VigilEmulator
import VigilEmulatorCore
import VigilEventsAPI
import VigilEventsAPIModel
import VigilHTTP

/// An emulator on a free loopback port and a transport to it, sharing one manual clock so that rate
/// limits, Retry-After waits, token expiry and late insertion take no real time. Use it through
/// ``withEmulatorHarness(users:days:configure:_:)``, which stops it even when the test throws.
package struct EmulatorHarness: Sendable {
  package let emulator: RunningEmulator
  package let clock: ManualClock
  package let transport: AsyncHTTPTransport

  /// The instant every harness starts at.
  package static let start = Timestamp.fixture("2026-11-04T18:00:00Z")

  package var engine: EmulatorEngine { emulator.engine }

  package func token(account: String? = nil, features: [String]? = nil, expiresIn: Double? = nil) throws
    -> EventsToken
  {
    try EventsToken(engine.issueToken(account: account, features: features, expiresIn: expiresIn).token)
  }

  package func client(
    _ token: EventsToken, version: APIVersion = .v2, limits: RateLimits = .eventsAPI, attempts: Int = 8,
    malformedAttempts: Int? = nil, baseURL: String? = nil
  ) throws -> EventsAPIClient {
    var configuration = EventsAPIClient.Configuration(baseURL: baseURL ?? emulator.baseURL)
    configuration.version = version
    configuration.limits = limits
    configuration.maximumAttempts = attempts
    // Fault tests inject garbage pages at a rate: by default, the same patience as for other faults.
    configuration.malformedAttempts = malformedAttempts ?? attempts
    configuration.backoff = Backoff(base: 1, cap: 30)
    return try EventsAPIClient(
      token: token, configuration: configuration, transport: transport, clock: clock, logger: Self.quietLogger)
  }

  /// Pulls a stream from the beginning until caught up; returns every uuid received (with repeats).
  /// Throws when the stream never catches up within `maximumPages`.
  package static func pullAll(
    _ client: EventsAPIClient, _ stream: EventStream, limit: Int = 1000, reader existing: StreamReader? = nil,
    maximumPages: Int = 100_000
  ) async throws -> (uuids: [String], reader: StreamReader) {
    var reader = existing ?? StreamReader(client: client, stream: stream, startTime: .fixture("2020-01-01T00:00:00Z"))
    reader.limit = limit
    var uuids: [String] = []
    for _ in 0..<maximumPages {
      let (page, caughtUp) = try await reader.next()
      uuids += page.items.compactMap(\.event.uuid)
      if caughtUp { return (uuids, reader) }
    }
    throw FixtureError("\(stream) never caught up within \(maximumPages) pages")
  }

  /// Retries are expected in these tests; only errors are worth printing.
  package static let quietLogger: Logger = {
    var logger = Logger(label: "vigil.test")
    logger.logLevel = .critical
    return logger
  }()

  package static func start(
    users: Int = 20, days: Int = 5, _ configure: (inout EmulatorOptions) throws -> Void = { _ in }
  ) async throws -> EmulatorHarness {
    var options = EmulatorOptions()
    options.users = users
    options.days = days
    try configure(&options)
    let clock = ManualClock(start: start)
    let emulator = try await RunningEmulator.start(engine: try EmulatorEngine(options: options, clock: clock))
    // Generous: with the whole suite running in parallel on two cores, a loopback answer can wait
    // several seconds for a thread; no test here is about timeouts (TransportTests are).
    var transportOptions = HTTPSettings()
    transportOptions.requestTimeout = 120
    transportOptions.connectTimeout = 10
    do {
      return EmulatorHarness(
        emulator: emulator, clock: clock, transport: try AsyncHTTPTransport(settings: transportOptions))
    } catch {
      await emulator.stop()
      throw error
    }
  }

  package func stop() async {
    try? await transport.shutdown()
    await emulator.stop()
  }
}

/// Runs `body` with a fresh harness and stops the harness afterwards, whether `body` returned or threw.
package func withEmulatorHarness<T>(
  users: Int = 20, days: Int = 5, configure: (inout EmulatorOptions) throws -> Void = { _ in },
  _ body: (EmulatorHarness) async throws -> T
) async throws -> T {
  let harness = try await EmulatorHarness.start(users: users, days: days, configure)
  let result: Result<T, any Error>
  do { result = .success(try await body(harness)) } catch { result = .failure(error) }
  await harness.stop()
  return try result.get()
}
