import Foundation
import Testing
import VigilBase
import VigilCore
import VigilEmulator
import VigilEmulatorCore
import VigilEventsAPIModel
import VigilSQLite
import VigilTestSupport

/// `vigil collect` as a real process against an emulator in this process: killed, stopped, and given
/// accounts that cannot work.
@Suite struct CollectorProcessTests {
  /// An emulator on a manual clock (the test moves time), a directory with a token and a config.
  final class Setup: Sendable {
    let emulator: RunningEmulator
    let clock: ManualClock
    let directory: String
    var config: String { directory + "/vigil.yaml" }

    init(faults: String = "", users: Int = 40, days: Int = 20, accounts: Int = 1, recordServed: Bool = false)
      async throws
    {
      clock = ManualClock(start: Timestamp(epochSeconds: Date().timeIntervalSince1970))
      var options = EmulatorOptions()
      options.users = users
      options.days = days
      options.accounts = accounts
      // The child process keeps the real limits; the emulator must not throttle a test run's pace.
      options.limits = RateLimits(perMinute: 1_000_000, perHour: 10_000_000)
      options.faults = try FaultPlan(spec: faults.isEmpty ? "empty=0" : faults)
      options.recordServed = recordServed
      emulator = try await RunningEmulator.start(engine: try EmulatorEngine(options: options, clock: clock))
      directory =
        FileManager.default.temporaryDirectory.appendingPathComponent("vigil-collect-\(UUID().uuidString)")
        .path
      try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    /// Writes a token per account and the configuration naming them.
    func writeConfig(accounts: [(name: String, emulatorAccount: String?)] = [("acme", nil)]) throws -> [String] {
      var tokens: [String] = []
      var yaml = "data_dir: .\nstorage:\n  url: sqlite:vigil.db\ncollector:\n  poll_interval: 1s\naccounts:\n"
      for account in accounts {
        let token = try emulator.engine.issueToken(account: account.emulatorAccount).token
        tokens.append(token)
        try (token + "\n").write(toFile: directory + "/\(account.name).jwt", atomically: false, encoding: .utf8)
        yaml += "  - name: \(account.name)\n    token_file: \(account.name).jwt\n    url: \(emulator.baseURL)\n"
      }
      try yaml.write(toFile: config, atomically: false, encoding: .utf8)
      return tokens
    }

    func run(_ arguments: [String]) async throws -> VigilProcess.Outcome {
      try await VigilProcess.run(arguments)
    }

    func start(_ arguments: [String]) throws -> Process {
      let process = Process()
      process.executableURL = VigilProcess.binary
      process.arguments = arguments + ["--config", config, "--log-level", "critical"]
      process.standardOutput = FileHandle.nullDevice
      process.standardError = FileHandle.nullDevice
      process.standardInput = FileHandle.nullDevice
      try process.run()
      return process
    }

    /// The store must hold exactly what the emulator serves now: all of it, once.
    func expectExact(account: String = "acme", emulatorAccount: String? = nil) async throws {
      let store = try SQLiteEventStore(path: directory + "/vigil.db")
      defer { try? store.close() }
      for stream in EventStream.allCases {
        let stored = try await store.uuids(StreamKey(account: account, stream: stream))
        let truth = emulator.engine.groundTruth(account: emulatorAccount, stream: stream)
        #expect(stored.count == Set(stored).count, "\(stream): duplicates")
        let missing = Set(truth).subtracting(stored).count
        let unexpected = Set(stored).subtracting(truth).count
        #expect(Set(stored) == Set(truth), "\(stream): \(missing) missing, \(unexpected) unexpected of \(truth.count)")
      }
    }

    /// Events in the store now (read beside a running collector: WAL readers never block it).
    func storedCount() async throws -> Int {
      guard FileManager.default.fileExists(atPath: directory + "/vigil.db") else { return 0 }
      let store = try SQLiteEventStore(path: directory + "/vigil.db")
      defer { try? store.close() }
      var count = 0
      for stream in EventStream.allCases {
        count += try await store.uuids(StreamKey(account: "acme", stream: stream)).count
      }
      return count
    }

    func stop() async {
      await emulator.stop()
      try? FileManager.default.removeItem(atPath: directory)
    }
  }

  /// Runs `body` with a fresh setup, stopped and removed afterwards even when `body` throws.
  func withSetup(
    faults: String = "", users: Int = 40, days: Int = 20, accounts: Int = 1, recordServed: Bool = false,
    _ body: (Setup) async throws -> Void
  ) async throws {
    let setup = try await Setup(
      faults: faults, users: users, days: days, accounts: accounts, recordServed: recordServed)
    let result: Result<Void, any Error>
    do { result = .success(try await body(setup)) } catch { result = .failure(error) }
    await setup.stop()
    try result.get()
  }

  /// The issue's crash test: SIGKILL at random points of a backfill with late events and faults on,
  /// restarted each time; at the end the store holds exactly the ground truth.
  @Test func killedAtRandomPointsTheCollectorStillEndsExact() async throws {
    try await withSetup(faults: "500=0.03,503=0.03,reset=0.02,truncate=0.02,empty=0.05", users: 100, days: 30) {
      setup in
      _ = try setup.writeConfig()
      var generator = SystemRandomNumberGenerator()
      var killed = 0
      for _ in 0..<14 {
        let process = try setup.start(["collect", "--until-caught-up"])
        try await Task.sleep(for: .milliseconds(Int.random(in: 150...1500, using: &generator)))
        if process.isRunning {
          kill(process.processIdentifier, SIGKILL)
          killed += 1
        }
        await process.exited()
        // Time moves on: new events, and late ones inserted behind the cursor.
        setup.clock.advance(seconds: 1800)
      }
      let final = try setup.start(["collect", "--until-caught-up"])
      await final.exited()
      #expect(final.terminationStatus == 0)
      #expect(killed >= 5, "too few runs were killed mid-way to test anything")
      try await setup.expectExact()
      #expect(!setup.emulator.engine.stats.faults.isEmpty)
    }
  }

  /// `vigil run` mid-backfill gets SIGTERM while a page is in flight (every response takes 0.4 s):
  /// it must exit 0, and every event the API had served by then, the page in hand included, must be
  /// in the store, with no second run to fill gaps.
  @Test func sigtermMidBackfillCommitsThePageInHandAndExitsZero() async throws {
    try await withSetup(faults: "slow=1,slow-seconds=0.4", users: 60, days: 20, recordServed: true) { setup in
      _ = try setup.writeConfig()
      let engine = setup.emulator.engine
      let process = try setup.start(["run"])
      // Some pages in: a backfill well under way, far from caught up.
      for _ in 0..<300 where engine.stats.itemsServed < 3000 { try await Task.sleep(for: .milliseconds(100)) }
      #expect(process.isRunning)
      #expect(engine.stats.faults["slow", default: 0] > 0, "no response was slowed")
      let servedAtSignal = EventStream.allCases.reduce(0) { $0 + engine.served(stream: $1).count }
      let storedAtSignal = try await setup.storedCount()
      process.terminate()
      await process.exited()
      #expect(process.terminationReason == .exit)
      #expect(process.terminationStatus == 0)
      // A page was in hand: served, not yet stored, when the signal came.
      #expect(servedAtSignal > storedAtSignal, "no page was in flight at the signal")
      let store = try SQLiteEventStore(path: setup.directory + "/vigil.db")
      defer { try? store.close() }
      var total = 0
      for stream in EventStream.allCases {
        let stored = Set(try await store.uuids(StreamKey(account: "acme", stream: stream)))
        let served = engine.served(stream: stream)
        total += stored.count
        #expect(served.subtracting(stored).isEmpty, "\(stream): \(served.subtracting(stored).count) served but lost")
        #expect(stored.subtracting(served).isEmpty, "\(stream): stored but never served")
      }
      #expect(total >= servedAtSignal)
      #expect(total < EventStream.allCases.reduce(0) { $0 + engine.groundTruth(stream: $1).count }, "not mid-backfill")
    }
  }

  @Test func aRevokedAccountFailsAloneAndStatusSaysWhy() async throws {
    try await withSetup(users: 10, days: 5, accounts: 2) { setup in
      let accounts = setup.emulator.engine.accounts
      let tokens = try setup.writeConfig(accounts: [("good", accounts[0].uuid), ("bad", accounts[1].uuid)])
      #expect(setup.emulator.engine.revoke(tokens[1]))
      let run = try await setup.run([
        "collect", "--until-caught-up", "--config", setup.config, "--log-level", "critical",
      ])
      #expect(run.status == 1)
      #expect(run.output.contains("bad/itemusages: stopped: the Events API refused the token"))
      try await setup.expectExact(account: "good", emulatorAccount: accounts[0].uuid)
      let status = try await setup.run(["status", "--config", setup.config])
      #expect(status.status == 0)
      // The streams' table comes first; then each account's request budget.
      let sections = status.output.components(separatedBy: "\n\n")
      let lines = sections[0].split(separator: "\n")
      let budget = try #require(sections.first { $0.hasPrefix("ACCOUNT  LAST MINUTE") })
      #expect(budget.split(separator: "\n").filter { $0.hasPrefix("good ") || $0.hasPrefix("bad ") }.count == 2)
      #expect(
        lines.filter { $0.hasPrefix("bad ") }.allSatisfy { $0.contains("FAILING") && $0.contains("issue a new token") })
      #expect(lines.filter { $0.hasPrefix("good ") }.count == 3)
      #expect(lines.filter { $0.hasPrefix("good ") }.allSatisfy { $0.contains(" ok ") })
      let json = try await setup.run(["status", "--config", setup.config, "--format", "json"])
      #expect(json.output.contains(#""failing":true"#))
    }
  }

  @Test func anUnreadableTokenLeavesTheAccountOutAndTheOthersRun() async throws {
    try await withSetup(users: 10, days: 5) { setup in
      _ = try setup.writeConfig(accounts: [("acme", nil)])
      var yaml = try String(contentsOfFile: setup.config, encoding: .utf8)
      yaml += "  - name: lost\n    token_file: missing.jwt\n"
      try yaml.write(toFile: setup.config, atomically: false, encoding: .utf8)
      let check = try await setup.run(["config", "check", "--config", setup.config])
      #expect(check.status == 1)
      #expect(check.output.contains("account lost (line 10): cannot read token file"))
      let run = try await setup.run([
        "collect", "--until-caught-up", "--config", setup.config, "--log-level", "critical",
      ])
      #expect(run.status == 1)
      #expect(run.output.contains("lost: not collected: cannot read token file"))
      try await setup.expectExact()
    }
  }

  @Test func backfillFromADateAddsNothingTwice() async throws {
    try await withSetup(users: 10, days: 5) { setup in
      _ = try setup.writeConfig()
      #expect(try await setup.run(["collect", "--until-caught-up", "--config", setup.config]).status == 0)
      let day = String(Timestamp(epochSeconds: Date().timeIntervalSince1970 - 3 * 86_400).rfc3339.prefix(10))
      let backfill = try await setup.run([
        "backfill", "--since", day, "--config", setup.config, "--log-level", "critical",
      ])
      #expect(backfill.status == 0, "\(backfill.output)\(backfill.error)")
      try await setup.expectExact()
    }
  }
}

extension Process {
  /// Waits for the process without blocking a thread of the concurrency pool.
  func exited() async {
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
      DispatchQueue.global().async {
        self.waitUntilExit()
        continuation.resume()
      }
    }
  }
}
