import Logging
import Testing
import VigilBase
import VigilCollector
import VigilConfig
import VigilCore
import VigilEmulator
import VigilEmulatorCore
import VigilEventsAPIModel
import VigilRuntime
import VigilTestSupport
import VigilYAML

@Suite struct StreamSelectionTests {
  func token(features: [String]) throws -> EventsToken {
    var options = EmulatorOptions()
    options.users = 2
    options.days = 1
    let engine = try EmulatorEngine(options: options, clock: ManualClock(start: EmulatorHarness.start))
    return try EventsToken(engine.issueToken(features: features).token)
  }

  @Test func configuredStreamsWinThenGrantedThenAll() throws {
    let audit = try token(features: ["auditevents"])
    #expect(StreamSelection.streams(configured: [.itemUsages], token: audit) == [.itemUsages])
    #expect(StreamSelection.ungranted(configured: [.itemUsages], token: audit) == [.itemUsages])
    #expect(StreamSelection.streams(configured: nil, token: audit) == [.auditEvents])
    #expect(StreamSelection.ungranted(configured: nil, token: audit).isEmpty)
  }

  /// `collect` and `config check` once disagreed here: features that name no stream.
  @Test func featuresNamingNoStreamSelectEveryStreamAndCheckSaysSo() throws {
    // The emulator issues only known features; a token from elsewhere may carry others.
    func part(_ json: String) -> String {
      Base64URL.encode(Array(json.utf8))
    }
    let odd = try EventsToken(
      part(#"{"alg":"ES256"}"#) + "."
        + part(#"{"aud":["com.1password.streamingservice"],"1password.com/fts":["reports"]}"#)
        + ".c2ln")
    #expect(StreamSelection.streams(configured: nil, token: odd) == EventStream.allCases)
    #expect(StreamSelection.ungranted(configured: nil, token: odd) == EventStream.allCases)
  }
}

@Suite struct RuntimeTests {
  /// One account `name` reading `tokenFile` (relative to a fresh directory) from the harness's emulator,
  /// run until caught up into `store`.
  func runUntilCaughtUp(
    _ harness: EmulatorHarness, account name: String, tokenFile: String, directory: borrowing TemporaryDirectory,
    into store: InMemoryEventStore
  ) async throws -> RunOutcome {
    let yaml = """
      data_dir: .
      accounts:
        - name: \(name)
          token_file: \(tokenFile)
          url: \(harness.emulator.baseURL)
      """
    let configuration = try ConfigLoader(file: directory.path + "/vigil.yaml", environment: [:]).load(yaml)
    var options = RuntimeOptions()
    options.untilCaughtUp = true
    options.clock = harness.clock
    return try await Runtime.run(
      configuration, store: store, api: harness.transport, feeds: FakeTransport(status: 404), options: options,
      logger: EmulatorHarness.quietLogger, observer: nil, extraServices: [])
  }

  /// The composition root end to end, in process: emulator → runtime (collector, retention) → store.
  @Test func aRunUntilCaughtUpStoresExactlyWhatTheAPIServes() async throws {
    try await withEmulatorHarness(users: 10, days: 3, configure: { $0.recordServed = true }) { harness in
      let directory = try TemporaryDirectory()
      let tokenFile = directory.path + "/acme.jwt"
      try AtomicFile.write(try harness.engine.issueToken().token + "\n", to: tokenFile, mode: 0o600)
      let store = InMemoryEventStore()
      let started = harness.clock.now
      let outcome = try await runUntilCaughtUp(
        harness, account: "acme", tokenFile: "acme.jwt", directory: directory, into: store)
      #expect(outcome.succeeded, "\(outcome.problems)")
      #expect(outcome.streams.count == 3)
      for stream in EventStream.allCases {
        // Exactly what the API served, once; and at least everything it held when the run started.
        let stored = await store.uuids(StreamKey(account: "acme", stream: stream))
        #expect(stored.count == Set(stored).count, "\(stream): stored twice")
        #expect(Set(stored) == harness.engine.served(stream: stream), "\(stream): stored differs from served")
        let held = GroundTruth.problems(stored: stored, caughtUp: started, engine: harness.engine, stream: stream)
        #expect(held.isEmpty, "\(held)")
      }
    }
  }

  @Test func anAccountWhoseTokenCannotBeReadIsLeftOutAndRecorded() async throws {
    try await withEmulatorHarness(users: 5, days: 1) { harness in
      let directory = try TemporaryDirectory()
      let store = InMemoryEventStore()
      let outcome = try await runUntilCaughtUp(
        harness, account: "lost", tokenFile: "missing.jwt", directory: directory, into: store)
      #expect(!outcome.succeeded)
      #expect(outcome.problems.first?.hasPrefix("lost: not collected: cannot read token file") == true)
      let states = await store.streamStates()
      #expect(states.count == 3)
      #expect(states.allSatisfy { $0.isFailing })
    }
  }
}
