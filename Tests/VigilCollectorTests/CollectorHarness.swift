import Foundation
import Logging
import Testing
import VigilBase
import VigilCollector
import VigilCore
import VigilEmulator
import VigilEmulatorCore
import VigilEventsAPI
import VigilEventsAPIModel
import VigilSQLite
import VigilTestSupport

/// An emulator, a SQLite store in a temporary directory, and collectors between them, all on one
/// manual clock so that hours of polling, backoff and late insertion take no real time.
struct CollectorHarness: Sendable {
  let base: EmulatorHarness
  let store: any EventStore
  let directory: String

  var emulator: RunningEmulator { base.emulator }
  var clock: ManualClock { base.clock }
  var engine: EmulatorEngine { base.engine }

  static let start = EmulatorHarness.start

  func account(
    _ name: String = "acme", emulatorAccount: String? = nil, streams: [EventStream] = EventStream.allCases,
    limits: RateLimits = .eventsAPI, malformedAttempts: Int? = nil
  ) throws -> (CollectorAccount, token: String) {
    let issued = try engine.issueToken(account: emulatorAccount)
    let client = try base.client(try EventsToken(issued.token), limits: limits, malformedAttempts: malformedAttempts)
    let start = Self.start.adding(seconds: -119 * 86_400)
    return (CollectorAccount(name: name, client: client, streams: streams, start: start), issued.token)
  }

  func collector(
    _ accounts: [CollectorAccount], untilCaughtUp: Bool = true, keepCursor: Bool = false,
    eventsPerCommit: Int = CollectorOptions().eventsPerCommit, leasing: CollectorLeasing? = nil,
    clock: (any VigilClock)? = nil, report: @escaping @Sendable (PageReport) -> Void = { _ in }
  ) -> Collector {
    var options = CollectorOptions()
    options.eventsPerCommit = eventsPerCommit
    options.untilCaughtUp = untilCaughtUp
    options.keepCursor = keepCursor
    options.pollInterval = 30
    options.quarantine = PageQuarantine(directory: directory + "/quarantine")
    return Collector(
      accounts: accounts, store: store, clock: clock ?? self.clock, options: options,
      logger: EmulatorHarness.quietLogger,
      leasing: leasing, report: report)
  }

  /// Every stream of `account` in the store must hold exactly the emulator's ground truth as of the
  /// moment the stream last caught up: all of it, once, and nothing the API never served. (Streams
  /// catch up at different moments when throttling moves the clock; events inserted after a stream
  /// caught up are for its next poll.)
  func expectExact(
    account: String = "acme", emulatorAccount: String? = nil, sourceLocation: SourceLocation = #_sourceLocation
  ) async throws {
    for stream in EventStream.allCases {
      let key = StreamKey(account: account, stream: stream)
      let caughtUp = try #require(
        try await store.streamState(key)?.caughtUpAt, "\(stream) never caught up", sourceLocation: sourceLocation)
      let problems = GroundTruth.problems(
        stored: try await store.uuids(key), caughtUp: caughtUp, engine: engine, account: emulatorAccount,
        stream: stream)
      #expect(problems.isEmpty, "\(problems)", sourceLocation: sourceLocation)
    }
  }
}

/// Runs `body` with an emulator (25 users, 5 days unless configured) and a store (SQLite in a fresh
/// directory unless one is given); everything is stopped and removed afterwards, even when `body` throws.
func withCollectorHarness(
  store: (any EventStore)? = nil, configure: (inout EmulatorOptions) throws -> Void = { _ in },
  _ body: (CollectorHarness) async throws -> Void
) async throws {
  let temporary = try TemporaryDirectory("vigil-collector")
  let directory = temporary.path
  try await withEmulatorHarness(users: 25, days: 5, configure: configure) { base in
    let sqlite: SQLiteEventStore? = store == nil ? try SQLiteEventStore(path: directory + "/vigil.db") : nil
    guard let chosen: any EventStore = store ?? sqlite else { throw FixtureError("no store") }
    let harness = CollectorHarness(base: base, store: chosen, directory: directory)
    let result: Result<Void, any Error>
    do { result = .success(try await body(harness)) } catch { result = .failure(error) }
    try? sqlite?.close()
    try result.get()
  }
}

/// The harness's manual clock, paced: each sleep moves it as usual and also waits a little real
/// time, so that a loop waiting on it (for a lease, say) does not spin while a test watches it.
struct PacedClock: VigilClock {
  let manual: ManualClock
  var now: Timestamp { manual.now }

  func sleep(seconds: Double) async throws {
    try await manual.sleep(seconds: seconds)
    try await Task.sleep(for: .milliseconds(2))
  }
}
