import Logging
import ServiceLifecycle
import Synchronization
import Testing
import VigilBase
import VigilCollector
import VigilCore

@testable import VigilRuntime

/// Detection, each sink and the notification sender run in one process at a time among several
/// sharing a store; a fenced one that stalled past its lease writes nothing over its successor.
@Suite struct LeasedServiceTests {
  static let unit = LeaseUnit.sink("siem")
  static let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

  func leased(
    _ service: any Service, unit: String = Self.unit, store: InMemoryEventStore, holder: String, seconds: Double
  ) -> LeasedService {
    LeasedService(
      service, unit: unit, leasing: CollectorLeasing(store: store, holder: holder, seconds: seconds),
      clock: SystemClock(), logger: Self.logger)
  }

  @Test func oneProcessRunsTheUnitAndAnotherTakesOverWhenItStops() async throws {
    let store = InMemoryEventStore()
    let running = ProbeLog.Shared()
    let first = CheckpointProbe(store: store, log: ProbeLog(shared: running))
    let second = CheckpointProbe(store: store, log: ProbeLog(shared: running))
    // A minute's lease, renewed every 20 s: a loaded test run delays tasks by seconds, not by a minute.
    // (Renewal across many leases is the process tests' part: SharedStoreProcessTests.)
    let a = Task { try await leased(first, store: store, holder: "host-a", seconds: 60).run() }
    try await until { first.log.turns >= 1 }
    let b = Task { try await leased(second, store: store, holder: "host-b", seconds: 60).run() }
    try await Task.sleep(for: .seconds(2))
    #expect(second.log.turns == 0, "a live lease keeps the unit with its holder")
    try await stop(a)
    try await until { second.log.turns == 1 }
    try await stop(b)
    #expect(running.most == 1, "never two at once")
    #expect(Set(first.log.fences.map(\.holder)) == ["host-a"])
    #expect(Set(second.log.fences.map(\.holder)) == ["host-b"])
    #expect(try #require(second.log.fences.first).epoch > (try #require(first.log.fences.last)).epoch)
    // host-a, then host-b (host-a may have taken its own lease again had a renewal come late).
    let history = await store.leaseHistory(Self.unit)
    let holders = history.map(\.holder).reduce(into: [String]()) { if $0.last != $1 { $0.append($1) } }
    #expect(holders == ["host-a", "host-b"])
    #expect(history.overlaps.isEmpty)
  }

  /// The lease goes to another host while this one still runs (it stalled past it): the next fenced
  /// write is refused, which ends this host's turn without ending its run, and the other host's
  /// checkpoint stands.
  @Test func aRefusedWriteEndsTheTurnNotTheRun() async throws {
    let store = InMemoryEventStore()
    let probe = CheckpointProbe(store: store, log: ProbeLog(shared: ProbeLog.Shared()))
    // Renewal is 20 minutes away: the fence, not the renewer, finds the lost lease (and cannot take
    // the unit back between the release and host-b's taking it).
    let run = Task { try await leased(probe, store: store, holder: "host-a", seconds: 3_600).run() }
    try await until { probe.log.writes >= 2 }
    let stalled = try #require(probe.log.fences.first)
    await store.releaseLease(stalled)
    let taker = try #require(await store.acquireLease(Self.unit, holder: "host-b", seconds: 36_000))
    try await store.saveCheckpoint("probe", sequence: 1_000_000, at: Timestamp(epochSeconds: 0), fence: taker)
    try await until { probe.log.refusals == 1 }
    try await until { probe.log.running == 0 }
    #expect(await store.checkpoint("probe") == 1_000_000, "the stalled holder wrote nothing over it")
    #expect(probe.log.turns == 1)
    try await stop(run)
  }

  /// PostgreSQL restarted under the service: its turn ends with the store's error, the unit is given up
  /// and taken again, and the run goes on.
  @Test func aStoreErrorEndsTheTurnAndTheUnitIsTakenAgain() async throws {
    let store = InMemoryEventStore()
    let probe = FailingOnceProbe()
    let run = Task {
      try await leased(probe, unit: LeaseUnit.detection, store: store, holder: "host-a", seconds: 9).run()
    }
    try await until { probe.turns.withLock { $0 } == 2 }
    // Released after the failure, taken again (and again, had a renewal come late on a loaded machine).
    let history = await store.leaseHistory(LeaseUnit.detection)
    #expect(history.count >= 2 && history.allSatisfy { $0.holder == "host-a" })
    #expect(history.first?.until != nil)
    try await stop(run)
  }

  @Test func servicesThatDoNotFenceRunUnchanged() async throws {
    let store = InMemoryEventStore()
    let probe = UnfencedProbe()
    let run = Task {
      try await leased(probe, unit: LeaseUnit.notifications, store: store, holder: "host-a", seconds: 30).run()
    }
    try await until { probe.started.withLock { $0 } }
    #expect(await store.leases().map(\.holder) == ["host-a"])
    try await stop(run)
  }

  /// Cancels a leased service's run and waits for it to end; any error but the cancellation fails.
  func stop(_ run: Task<Void, any Error>) async throws {
    run.cancel()
    do {
      try await run.value
    } catch is CancellationError {
    }
  }

  /// Polls `condition` every 10 ms for up to 5 minutes (a loaded test run is slow, never this slow).
  func until(
    _ condition: @Sendable () -> Bool, sourceLocation: SourceLocation = #_sourceLocation
  ) async throws {
    let deadline = ContinuousClock.now + .seconds(300)
    while !condition() {
      try #require(ContinuousClock.now < deadline, "waited 5 minutes", sourceLocation: sourceLocation)
      try await Task.sleep(for: .milliseconds(10))
    }
  }
}

/// A fenced service that moves a checkpoint every 10 ms with its claim, and records what happens.
struct CheckpointProbe: Service, LeaseFenced {
  let store: InMemoryEventStore
  let log: ProbeLog
  var fence: LeaseClaim?

  func fenced(by claim: LeaseClaim) -> CheckpointProbe {
    var fenced = self
    fenced.fence = claim
    return fenced
  }

  func run() async throws {
    log.begin(fence)
    defer { log.end() }
    var sequence: Int64 = 0
    while true {
      try await Task.sleep(for: .milliseconds(10))
      sequence += 1
      do {
        try await store.saveCheckpoint("probe", sequence: sequence, at: Timestamp(epochSeconds: 0), fence: fence)
        log.wrote()
      } catch {
        log.refused()
        throw error
      }
    }
  }
}

/// What one probe saw; `Shared` counts the probes running at once across hosts.
final class ProbeLog: Sendable {
  final class Shared: Sendable {
    private let counts = Mutex((now: 0, most: 0))
    func begin() {
      counts.withLock {
        $0.now += 1; $0.most = max($0.most, $0.now)
      }
    }
    func end() { counts.withLock { $0.now -= 1 } }
    var most: Int { counts.withLock { $0.most } }
  }

  private struct State {
    var fences: [LeaseClaim] = []
    var running = 0
    var writes = 0
    var refusals = 0
  }

  private let state = Mutex(State())
  private let shared: Shared

  init(shared: Shared) { self.shared = shared }

  func begin(_ fence: LeaseClaim?) {
    shared.begin()
    state.withLock {
      if let fence { $0.fences.append(fence) }
      $0.running += 1
    }
  }

  func end() {
    shared.end()
    state.withLock { $0.running -= 1 }
  }

  func wrote() { state.withLock { $0.writes += 1 } }
  func refused() { state.withLock { $0.refusals += 1 } }
  var fences: [LeaseClaim] { state.withLock { $0.fences } }
  var turns: Int { fences.count }
  var running: Int { state.withLock { $0.running } }
  var writes: Int { state.withLock { $0.writes } }
  var refusals: Int { state.withLock { $0.refusals } }
}

/// A service with no writes to fence (the notification sender): it runs as it is.
final class UnfencedProbe: Service {
  let started = Mutex(false)

  func run() async throws {
    started.withLock { $0 = true }
    try await Task.sleep(for: .seconds(3_600))
  }
}

/// Fails its first turn with a store error (a lost server), then runs until cancelled.
final class FailingOnceProbe: Service {
  let turns = Mutex(0)

  func run() async throws {
    let turn = turns.withLock { count in
      count += 1
      return count
    }
    if turn == 1 {
      throw StoreError.cannotOpen(path: "postgres://db/vigil", reason: "the server closed the connection")
    }
    try await Task.sleep(for: .seconds(3_600))
  }
}
