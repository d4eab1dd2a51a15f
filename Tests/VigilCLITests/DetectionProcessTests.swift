import Foundation
import Testing
import VigilBase
import VigilConfig
import VigilCore
import VigilDetection
import VigilEmulator
import VigilEmulatorCore
import VigilEventsAPIModel
import VigilRuntime
import VigilSQLite
import VigilTestSupport

@testable import VigilCLI

/// `vigil run` as a real process over `vigil demo`'s organisation (seed 1, 200 users, 30 days, every
/// scenario, the demo's enrichment), SIGKILLed once alerts exist, then restarted: the alerts match the
/// emulator's ground truth, equal what one uninterrupted pass of the rules gives, and each reached
/// the webhook exactly once, through an outage that lasted until the kill.
@Suite struct DetectionProcessTests {
  @Test func aKilledRunLosesAndRepeatsNoAlertAndMatchesTheScenarios() async throws {
    try await NotificationReceiver.with { receiver, base in
      let directory = try TemporaryDirectory()
      var options = EmulatorOptions()
      options.users = 200
      options.days = 30
      options.seed = 1
      options.limits = RateLimits(perMinute: 1_000_000, perHour: 10_000_000)
      let clock = ManualClock(start: Timestamp(epochSeconds: Date().timeIntervalSince1970))
      let engine = try EmulatorEngine(options: options, clock: clock)
      let emulator = try await RunningEmulator.start(engine: engine)
      let result: Result<Void, any Error>
      do {
        result = .success(
          try await check(engine: engine, url: emulator.baseURL, receiver: receiver, hook: base, in: directory.path))
      } catch {
        result = .failure(error)
      }
      await emulator.stop()
      try result.get()
    }
  }

  func check(engine: EmulatorEngine, url: String, receiver: NotificationReceiver, hook: String, in directory: String)
    async throws
  {
    try AtomicFile.write(try engine.issueToken().token + "\n", to: directory + "/demo.jwt", mode: 0o600)
    try AtomicFile.write("hook-secret-123\n", to: directory + "/hook.secret", mode: 0o600)
    try DemoEnrichment.write(to: directory)
    let yaml = """
      data_dir: .
      storage:
        url: sqlite:vigil.db
      collector:
        poll_interval: 1s
      accounts:
        - name: demo
          token_file: demo.jwt
          url: \(url)
      notifications:
        retry_cap: 1s
        max_attempts: 1000
        notifiers:
          - name: hook
            type: webhook
            url: \(hook)/webhook
            secret_file: hook.secret
        routes:
          - notify: [hook]
            severity: medium
      \(DemoEnrichment.configuration)
      """
    let configPath = directory + "/vigil.yaml"
    try AtomicFile.write(yaml, to: configPath, mode: 0o600)
    let configuration = try ConfigLoader(file: configPath, environment: [:]).load(yaml)

    // The first run: the webhook is down, and the run is killed once alerts are stored and their
    // notifications have failed.
    receiver.failFirst(Int.max)
    let first = try start(["run", "--config", configPath], in: directory)
    let deadline = ContinuousClock.now + .seconds(300)
    var alertsAtKill = 0
    while ContinuousClock.now < deadline, first.isRunning {
      alertsAtKill = try await storeSnapshot(directory).alerts
      if alertsAtKill > 0, !receiver.refused("/webhook").isEmpty { break }
      try await Task.sleep(for: .milliseconds(100))
    }
    try #require(first.isRunning, "the first run ended before any alert: \(log(directory))")
    kill(first.processIdentifier, SIGKILL)
    await first.exited()
    #expect(first.terminationReason == .uncaughtSignal && alertsAtKill > 0)
    let atKill = try await storeSnapshot(directory)
    #expect(receiver.accepted("/webhook").isEmpty, "the webhook was down during the first run")

    // The second run: the webhook is back; it runs until everything is collected, judged, notified.
    receiver.failFirst(0)
    let second = try start(["run", "--config", configPath], in: directory)
    var done = false
    while ContinuousClock.now < deadline, second.isRunning, !done {
      try await Task.sleep(for: .milliseconds(500))
      let now = try await storeSnapshot(directory)
      done = now.caughtUp && now.judged && now.pending == 0 && now.alerts > 0
    }
    second.interrupt()
    await second.exited()
    try #require(done, "the restarted run did not finish judging in time: \(log(directory))")
    #expect(second.terminationStatus == 0)
    // The kill came before detection had judged the whole log.
    #expect(!atKill.judged || !atKill.caughtUp)

    let store = try SQLiteEventStore(path: directory + "/vigil.db")
    defer { try? store.close() }
    var everything = AlertQuery()
    everything.limit = 1_000_000
    let stored = try await store.alerts(everything)

    // Ground truth: every scenario alerted by evidence of its own; nothing high outside them.
    var scenarioOf: [String: ScenarioName] = [:]
    for scenario in engine.scenarios {
      for event in scenario.events { scenarioOf[event.uuid] = scenario.name }
    }
    for scenario in engine.scenarios {
      let uuids = Set(scenario.events.map(\.uuid))
      let own = stored.filter { !$0.evidence.isEmpty && $0.evidence.allSatisfy { uuids.contains($0.uuid) } }
      #expect(!own.isEmpty, "scenario \(scenario.name.rawValue) raised no alert of its own")
    }
    let benign = stored.filter { alert in
      alert.severity >= .high && alert.evidence.allSatisfy { scenarioOf[$0.uuid] == nil }
    }
    #expect(benign.isEmpty, "\(benign.map { "\($0.rule) \($0.group)" })")

    // One uninterrupted pass of the same rules over the same log gives the same alerts.
    let (library, watchlists) = RuleFiles.load(configuration.detection, configFile: configPath)
    var reference = DetectionEngine(
      rules: library.rules, watchlists: watchlists, lateness: configuration.detection.allowedLateness)
    var expected: [String: Alert] = [:]
    var after: Int64 = 0
    while case let batch = try await store.events(after: after, limit: 5_000), let last = batch.last {
      for event in batch {
        for alert in reference.observe(event.event, sequence: event.sequence) { expected[alert.id.text] = alert }
      }
      after = last.sequence
    }
    let absence = Set(library.rules.filter { if case .absence = $0.kind { true } else { false } }.map(\.id))
    let compared = stored.filter { !absence.contains($0.rule) }
    #expect(Set(compared.map(\.id)) == Set(expected.keys), "alerts lost or invented across the kill")
    for alert in compared {
      guard let truth = expected[alert.id] else { continue }
      #expect(alert.count == truth.count && alert.evidence.map(\.uuid) == truth.evidence.map(\.uuid), "\(alert.id)")
    }

    // Each alert of medium or more reached the webhook once; none before the kill.
    let delivered = receiver.accepted("/webhook").compactMap { ($0.json["alert"] as? [String: Any])?["id"] as? String }
    let routed = stored.filter { $0.severity >= .medium }.map(\.id)
    #expect(delivered.count == Set(delivered).count, "an alert was notified twice")
    #expect(Set(delivered) == Set(routed))
    #expect(!receiver.refused("/webhook").isEmpty, "the outage never happened")
  }

  struct StoreSnapshot {
    var alerts = 0
    var caughtUp = false
    var judged = false
    var pending = 0
  }

  /// What the store says now (read beside the running process).
  func storeSnapshot(_ directory: String) async throws -> StoreSnapshot {
    guard FileManager.default.fileExists(atPath: directory + "/vigil.db") else { return StoreSnapshot() }
    let store = try SQLiteEventStore(path: directory + "/vigil.db")
    defer { try? store.close() }
    var snapshot = StoreSnapshot()
    snapshot.alerts = try await store.alertCount(AlertQuery())
    let streams = try await store.streamStates()
    snapshot.caughtUp = streams.count == EventStream.allCases.count && streams.allSatisfy { $0.caughtUpAt != nil }
    let newest = try await store.newestSequence()
    snapshot.judged = try await store.detectionState("detection").map { $0.sequence >= newest } ?? false
    snapshot.pending = try await store.notificationSummary().reduce(0) { $0 + $1.pending }
    return snapshot
  }

  func start(_ arguments: [String], in directory: String) throws -> Process {
    let process = Process()
    process.executableURL = VigilProcess.binary
    process.arguments = arguments + ["--log-level", "warning"]
    if !FileManager.default.fileExists(atPath: directory + "/run.log") {
      _ = FileManager.default.createFile(atPath: directory + "/run.log", contents: nil)
    }
    let log = try FileHandle(forWritingTo: URL(fileURLWithPath: directory + "/run.log"))
    log.seekToEndOfFile()
    process.standardOutput = log
    process.standardError = log
    process.standardInput = FileHandle.nullDevice
    try process.run()
    return process
  }

  func log(_ directory: String) -> String {
    String((try? String(contentsOfFile: directory + "/run.log", encoding: .utf8))?.suffix(3_000) ?? "")
  }
}
