import Logging
import Testing
import VigilBase
import VigilCore
import VigilDetection
import VigilDetectionService
import VigilEventsAPIModel
import VigilTestSupport

/// The service over a store: it tails the log, stores alerts, saves its state with its checkpoint, and
/// after a restart neither loses nor re-creates an alert.
@Suite struct DetectionServiceTests {
  static let rule = """
    id: t.failures
    title: failures
    description: d
    severity: high
    streams: [signinattempts]
    where: outcome:failure
    kind: threshold
    count: 3
    window: 10m
    group_by: [user.id]
    """

  /// `count` failed sign-ins of one user a minute apart, from `start` minutes past the hour.
  static func failures(_ count: Int, user: String, start: Int) -> [CanonicalEvent] {
    (0..<count).compactMap { index in
      let minute = start + index
      let json =
        #"{"uuid":"\#(user)-\#(minute)","timestamp":"2026-11-02T10:\#(minute < 10 ? "0" : "")\#(minute):00Z","category":"credentials_failed","type":"password_secret_bad","target_user":{"uuid":"\#(user)"}}"#
      return Normalizer.normalize(
        raw: Array(json.utf8), account: "acme", stream: .signInAttempts, ingestedAt: SampleEvents.now)
    }
  }

  static func commit(_ events: [CanonicalEvent], to store: any EventStore) async throws {
    let key = StreamKey(account: "acme", stream: .signInAttempts)
    _ = try await store.commit(
      IngestBatch(key: key, events: events, cursor: nil, caughtUp: false, at: SampleEvents.now))
  }

  /// Runs the service until `done` holds for the store (or 180 s: the suite can starve it), then stops
  /// it. Every alert is routed to the notifier `hook`.
  static func run(_ store: any EventStore, until done: @escaping @Sendable () async throws -> Bool) async throws {
    let (rules, problems) = RuleReader.read(rule, file: "t.yaml")
    #expect(problems.isEmpty)
    var notifications = NotificationSettings()
    notifications.routes = [NotificationRoute(notifiers: ["hook"])]
    var settings = DetectionService.Settings()
    settings.pollInterval = 0.02
    settings.stateSeconds = 0.05
    let service = DetectionService(
      store: store, rules: rules, watchlists: .standard(), lateness: DetectionEngine.defaultLateness,
      settings: settings, notifications: notifications, clock: SystemClock(), logger: Logger(label: "test"))
    let task = Task { try await service.run() }
    let deadline = ContinuousClock.now + .seconds(180)
    while try await !done(), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
    task.cancel()
    try await task.value
  }

  /// The groups (last key) of the alerts whose creation queued a notification, once per notification.
  static func notified(_ store: any EventStore) async throws -> [String] {
    var groups: [String] = []
    for alert in try await store.alerts(AlertQuery()) {
      let triggers = try await store.notifications(alert: alert.id).filter { $0.action == .trigger }
      groups += triggers.map { _ in alert.group.last ?? "" }
    }
    return groups.sorted()
  }

  @Test func alertsAreStoredOnceAcrossARestart() async throws {
    let store: any EventStore = InMemoryEventStore()
    try await Self.commit(Self.failures(3, user: "U1", start: 0), to: store)
    try await Self.run(store) { try await !store.alerts(AlertQuery()).isEmpty }
    #expect(try await Self.notified(store) == ["U1"])
    let stored = try await store.alerts(AlertQuery())
    #expect(stored.count == 1 && stored.first?.count == 3)
    let saved = try #require(try await store.detectionState(DetectionService.consumer))
    #expect(saved.sequence == 3)

    // More failures of the same burst, and a new user's burst, after a restart.
    try await Self.commit(Self.failures(2, user: "U1", start: 3) + Self.failures(3, user: "U2", start: 0), to: store)
    try await Self.run(store) {
      let count = try await store.alerts(AlertQuery()).count
      let checkpoint = try await store.checkpoint(DetectionService.consumer)
      return count == 2 && checkpoint == 8
    }
    // Only U2's alert is new; U1's grew to five events and was neither created nor notified again.
    #expect(try await Self.notified(store) == ["U1", "U2"])
    let alerts = try await store.alerts(AlertQuery())
    #expect(alerts.map(\.count).sorted() == [3, 5])
  }
}
