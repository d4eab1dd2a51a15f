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

/// `vigil run` as a real process over `vigil demo`'s organisation (seed 1, every scenario, the demo's
/// enrichment), SIGKILLed once alerts exist while the webhook is down; then the webhook comes back and
/// a run finishes the work. The alerts match the emulator's ground truth, equal what one uninterrupted
/// pass of the rules gives, and each reached the webhook exactly once.
///
/// Alone on SQLite, the killed run is restarted. Shared, two `vigil run` hosts on one PostgreSQL store
/// divide the work through leases; the one holding detection is killed and the other takes it over
/// (and the notification sender, when the dead one had it), with no unit ever held by both.
@Suite struct DetectionProcessTests {
  /// Every process started, so that cleanup reaches them when the test throws.
  final class Runs: @unchecked Sendable {
    var processes: [Process] = []
  }

  @Test func aKilledRunLosesAndRepeatsNoAlertAndMatchesTheScenarios() async throws {
    try await check(users: 200, days: 30, storage: "sqlite:vigil.db", hosts: 1)
  }

  @Test func twoHostsSharingPostgreSQLHandDetectionOverAndNotifyOnce() async throws {
    let database = try await PostgresTestDatabase.make()
    try await check(users: 60, days: 15, storage: database.description, hosts: 2)
  }

  func check(users: Int, days: Int, storage: String, hosts: Int) async throws {
    try await NotificationReceiver.with { receiver, base in
      let directory = try TemporaryDirectory()
      var options = EmulatorOptions()
      options.users = users
      options.days = days
      options.seed = 1
      options.limits = RateLimits(perMinute: 1_000_000, perHour: 10_000_000)
      let clock = ManualClock(start: Timestamp(epochSeconds: Date().timeIntervalSince1970))
      let engine = try EmulatorEngine(options: options, clock: clock)
      let emulator = try await RunningEmulator.start(engine: engine)
      let runs = Runs()
      let result: Result<Void, any Error>
      do {
        result = .success(
          try await check(
            engine: engine, url: emulator.baseURL, receiver: receiver, hook: base, storage: storage, hosts: hosts,
            runs: runs, in: directory.path))
      } catch {
        result = .failure(error)
      }
      for process in runs.processes where process.isRunning { kill(process.processIdentifier, SIGKILL) }
      for process in runs.processes { await process.exited() }
      await emulator.stop()
      try result.get()
    }
  }

  func check(
    engine: EmulatorEngine, url: String, receiver: NotificationReceiver, hook: String, storage: String, hosts: Int,
    runs: Runs, in directory: String
  ) async throws {
    try AtomicFile.write(try engine.issueToken().token + "\n", to: directory + "/demo.jwt", mode: 0o600)
    try AtomicFile.write("hook-secret-123\n", to: directory + "/hook.secret", mode: 0o600)
    try DemoEnrichment.write(to: directory)
    let yaml = """
      data_dir: .
      storage:
        url: \(storage)
      collector:
        poll_interval: 1s
        lease: 10s
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
    let shared = configuration.storage.isShared
    // SQLite is read beside the process through a connection of the test's own, opened per look.
    var opened: OpenedStore?
    if shared { opened = try await StoreOpener.open(configuration.storage) }
    defer { opened?.close() }
    func snapshot() async throws -> StoreSnapshot {
      if let opened { return try await storeSnapshot(opened.store) }
      guard FileManager.default.fileExists(atPath: directory + "/vigil.db") else { return StoreSnapshot() }
      let store = try SQLiteEventStore(path: directory + "/vigil.db")
      defer { try? store.close() }
      return try await storeSnapshot(store)
    }

    // The first runs: the webhook is down, and one run is killed once alerts are stored and their
    // notifications have failed: the only run, or the host holding detection.
    receiver.failFirst(Int.max)
    for _ in 0..<hosts { runs.processes.append(try start(["run", "--config", configPath], in: directory)) }
    let first = runs.processes
    let deadline = ContinuousClock.now + .seconds(300)
    var victim: Process?
    var alertsAtKill = 0
    while ContinuousClock.now < deadline, first.allSatisfy(\.isRunning), victim == nil {
      try await Task.sleep(for: .milliseconds(100))
      alertsAtKill = try await snapshot().alerts
      guard alertsAtKill > 0, !receiver.refused("/webhook").isEmpty else { continue }
      guard let opened else {
        victim = first[0]
        continue
      }
      let holder = try await opened.store.leases().first { $0.unit == LeaseUnit.detection && $0.isLive }?.holder
      victim = first.first { holder?.hasSuffix(":\($0.processIdentifier)") == true }
    }
    let killed = try #require(victim, "no run held detection with alerts stored: \(log(directory))")
    kill(killed.processIdentifier, SIGKILL)
    await killed.exited()
    #expect(killed.terminationReason == .uncaughtSignal && alertsAtKill > 0)
    let atKill = try await snapshot()
    #expect(receiver.accepted("/webhook").isEmpty, "the webhook was down during the first run")

    // The webhook is back. Alone, the run is restarted; shared, the other host goes on. It runs
    // until everything is collected, judged, notified.
    receiver.failFirst(0)
    if !shared { runs.processes.append(try start(["run", "--config", configPath], in: directory)) }
    let survivors = runs.processes.filter { $0 !== killed }
    var done = false
    while ContinuousClock.now < deadline, survivors.allSatisfy(\.isRunning), !done {
      try await Task.sleep(for: .milliseconds(500))
      let now = try await snapshot()
      done = now.caughtUp && now.judged && now.pending == 0 && now.alerts > 0
    }
    for survivor in survivors { survivor.interrupt() }
    for survivor in survivors { await survivor.exited() }
    try #require(done, "the run after the kill did not finish judging in time: \(log(directory))")
    for survivor in survivors { #expect(survivor.terminationStatus == 0) }
    // The kill came before detection had judged the whole log.
    #expect(!atKill.judged || !atKill.caughtUp)

    let reopened = try await StoreOpener.open(shared ? configuration.storage : .sqlite(path: directory + "/vigil.db"))
    defer { reopened.close() }
    let store = reopened.store
    if shared {
      // Detection passed from the dead host to the other; no unit ever had two holders at once.
      let history = try await store.leaseHistory(nil)
      #expect(history.overlaps.isEmpty, "overlapping holders: \(history.overlaps.prefix(3))")
      let detection = history.filter { $0.unit == LeaseUnit.detection }.map(\.holder)
      #expect(detection.first?.hasSuffix(":\(killed.processIdentifier)") == true && Set(detection).count == 2)
      #expect(history.contains { $0.unit == LeaseUnit.notifications })
    }
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
  func storeSnapshot(_ store: any VigilStore) async throws -> StoreSnapshot {
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
