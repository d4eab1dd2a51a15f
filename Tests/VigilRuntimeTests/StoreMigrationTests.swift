import Testing
import VigilBase
import VigilCore
import VigilEventsAPIModel
import VigilPostgres
import VigilRuntime
import VigilSQLite
import VigilTestSupport

/// `vigil migrate`'s copy: a SQLite store into PostgreSQL, whole and resumable.
@Suite struct StoreMigrationTests {
  @Test func aSQLiteStoreArrivesInPostgreSQLWithItsNumbersAndState() async throws {
    let directory = try TemporaryDirectory()
    let source = try SQLiteEventStore(path: directory.path + "/vigil.db")
    try await SearchSample.fill(source)
    let now = SearchSample.now
    try await source.saveCheckpoint("sink:elastic", sequence: 300, at: now)
    let alert = AlertRecord(
      id: "a-1", rule: "signin.brute_force_user", title: "Brute force", severity: .high, group: ["x@example.com"],
      groupFields: ["user.email"], period: 0, first: 1, last: 2, count: 9,
      evidence: [AlertEvidence(sequence: 4, uuid: "u4")], at: now)
    _ = try await source.commitDetection(
      [alert], progress: DetectionProgress(consumer: "detection", state: [1, 2, 3], sequence: 250),
      notify: ["a-1": ["slack", "pagerduty"]], at: now)
    // Slack has it; PagerDuty failed once and waits for another attempt.
    let outbox = try await source.dueNotifications(at: now, limit: 10)
    let slack = try #require(outbox.first { $0.notifier == "slack" })
    let pagerduty = try #require(outbox.first { $0.notifier == "pagerduty" })
    try await source.recordDelivery(slack.id, outcome: .delivered, at: now)
    try await source.recordDelivery(
      pagerduty.id, outcome: .retry(error: "503", next: now.adding(seconds: 600)), at: now)
    _ = try await source.updateStatus("a-1", to: .acknowledged, by: "alice", note: "looking", at: now)
    var sink = SinkStatus(name: "elastic", updatedAt: now)
    sink.delivered = 300
    sink.alertRevision = 1
    try await source.recordSink(sink)
    let refused = QuarantineEntry(
      sink: "elastic", sequence: 7, account: SearchSample.events[6].account, stream: SearchSample.events[6].stream,
      uuid: SearchSample.events[6].uuid, reason: "400 mapper_parsing_exception", at: now)
    try await source.quarantine([refused])

    let destination = try await PostgresEventStore(PostgresTestDatabase.make())
    // An interrupted first run: only the first 1,000 events arrived.
    let first = try await source.events(after: 0, limit: 1_000)
    #expect(try await destination.importEvents(first) == 1_000)
    let pages = Pages()
    let report = try await StoreMigration.run(from: source, to: destination, page: 700, at: now) { done, _ in
      pages.count += done > 0 ? 1 : 0
    }
    #expect(report.copied == SearchSample.events.count - 1_000, "the run continued after the interruption")
    #expect(report.matches)
    #expect(report.counts.count == 3, "acme sign-ins and audit events, beta item usages")
    #expect(pages.count > 2, "progress was reported per page")
    // The log, with its sequence numbers and stored enrichment.
    #expect(try await destination.events(after: 0, limit: .max) == (try await source.events(after: 0, limit: .max)))
    #expect(try await destination.streamStates() == (try await source.streamStates()))
    #expect(try await destination.checkpoints() == (try await source.checkpoints()))
    #expect(try await destination.detectionState("detection")?.state == [1, 2, 3])
    let copied = try #require(try await destination.alert("a-1"))
    #expect(copied == (try await source.alert("a-1")))
    #expect(copied.status == .acknowledged && copied.statusBy == "alice")
    #expect(try await destination.sinkStatuses() == (try await source.sinkStatuses()))
    // What waits is due at once on the copy: PagerDuty's trigger (with its failed attempt) and both
    // notifiers' acknowledgements (from the status change). Slack's delivered trigger comes as history.
    #expect(report.notifications == 4 && report.pendingNotifications == 3)
    let history = try await destination.notifications(alert: "a-1")
    #expect(history.map(\.notifier) == (try await source.notifications(alert: "a-1")).map(\.notifier))
    let delivered = try #require(history.first { $0.notifier == "slack" && $0.action == .trigger })
    #expect(delivered.state == .delivered && delivered.deliveredAt == now && delivered.attempts == 1)
    let retried = try #require(history.first { $0.notifier == "pagerduty" && $0.action == .trigger })
    #expect(retried.lastError == "503" && retried.lastErrorAt == now)
    #expect(try await destination.notificationSummary() == (try await source.notificationSummary()))
    #expect(report.quarantined == 1)
    #expect(try await destination.quarantined(sink: "elastic", limit: 10) == [refused])
    let waiting = try await destination.dueNotifications(at: now, limit: 10)
    #expect(
      Set(waiting.map { "\($0.notifier) \($0.action) \($0.attempts)" })
        == ["pagerduty trigger 1", "pagerduty acknowledge 0", "slack acknowledge 0"])
    #expect(waiting.allSatisfy { $0.alertID == "a-1" })
    // Running it again copies nothing and still matches.
    let again = try await StoreMigration.run(from: source, to: destination, at: now)
    #expect(again.copied == 0 && again.skipped == 0 && again.matches)
    #expect(try await destination.dueNotifications(at: now, limit: 10).count == 3, "not repeated")
    #expect(try await destination.notifications(alert: "a-1").count == 4)
    // New numbers continue after the copied ones.
    let newest = try await source.newestSequence()
    var late = SearchSample.events[0]
    late.uuid = "after-migration"
    _ = try await destination.commit(
      IngestBatch(
        key: StreamKey(account: late.account, stream: late.stream), events: [late], cursor: nil, caughtUp: true,
        at: now))
    #expect(try await destination.newestSequence() > newest)
    let changed = try #require(try await destination.updateStatus("a-1", to: .closed, by: "bob", note: nil, at: now))
    #expect(changed.revision > copied.revision)
  }

  final class Pages: @unchecked Sendable {
    var count = 0
  }
}
