import Testing
import VigilBase
import VigilCore
import VigilTestSupport

/// The alert role, on every store: detection's upserts keep people's handling, state and checkpoint
/// commit together, listings filter and order.
@Suite struct AlertStoreContractTests {
  let t0 = SampleEvents.now

  func alert(_ id: String, severity: Severity = .high, last: Int64 = 2_000, count: Int = 3) -> AlertRecord {
    AlertRecord(
      id: id, rule: "rule.\(id)", title: "Title \(id)", severity: severity, group: ["acme", "U1"],
      groupFields: ["event.account", "user.id"], period: 0, first: 1_000, last: last, count: count,
      evidence: [AlertEvidence(sequence: 7, uuid: "E7")], at: t0)
  }

  @Test(arguments: StoreKind.allCases) func detectionCommitsAlertsStateAndCheckpointTogether(kind: StoreKind)
    async throws
  {
    let directory = try TemporaryDirectory()
    let store = try await kind.make(in: directory)
    #expect(try await store.detectionState("detection") == nil)
    let created = try await store.commitDetection(
      [alert("a"), alert("b", severity: .low)],
      progress: DetectionProgress(consumer: "detection", state: [1, 2, 3], sequence: 42), at: t0)
    #expect(created == ["a", "b"])
    let saved = try #require(try await store.detectionState("detection"))
    #expect(saved.state == [1, 2, 3] && saved.sequence == 42)
    #expect(try await store.checkpoint("detection") == 42)

    // Someone acknowledges; detection then updates the alert: the handling stays.
    let later = t0.adding(seconds: 60)
    let acknowledged = try #require(
      try await store.updateStatus("a", to: .acknowledged, by: "ops@example.com", note: "looking", at: later))
    #expect(acknowledged.status == .acknowledged && acknowledged.statusBy == "ops@example.com")
    let again = try await store.commitDetection([alert("a", last: 3_000, count: 5)], progress: nil, at: later)
    #expect(again.isEmpty)
    // Without progress, the state and checkpoint stay where they were.
    #expect(try await store.checkpoint("detection") == 42)
    let updated = try #require(try await store.alert("a"))
    #expect(updated.count == 5 && updated.last == 3_000)
    #expect(updated.status == .acknowledged && updated.statusNote == "looking")
    #expect(updated.createdAt == t0)
    #expect(updated.evidence == [AlertEvidence(sequence: 7, uuid: "E7")])
    #expect(updated.group == ["acme", "U1"] && updated.groupFields == ["event.account", "user.id"])

    var query = AlertQuery()
    #expect(try await store.alerts(query).map(\.id) == ["a", "b"])
    query.minimumSeverity = .medium
    #expect(try await store.alerts(query).map(\.id) == ["a"])
    #expect(try await store.alertCount(query) == 1)
    #expect(try await store.alertCount(AlertQuery()) == 2)
    query = AlertQuery()
    query.status = .open
    #expect(try await store.alerts(query).map(\.id) == ["b"])
    #expect(try await store.updateStatus("missing", to: .closed, by: "x", note: nil, at: later) == nil)
  }

  /// Alerts as a stream: every change moves an alert to the end, once, at a higher revision.
  @Test(arguments: StoreKind.allCases) func changesStreamInTheOrderTheyHappened(kind: StoreKind) async throws {
    let directory = try TemporaryDirectory()
    let store = try await kind.make(in: directory)
    _ = try await store.commitDetection([alert("a"), alert("b"), alert("c")], progress: nil, at: t0)
    let all = try await store.alertChanges(after: 0, limit: 10)
    #expect(all.map(\.id) == ["a", "b", "c"])
    let mark = try #require(all.last?.revision)
    #expect(all.map(\.revision) == all.map(\.revision).sorted() && Set(all.map(\.revision)).count == 3)
    #expect(try await store.alertChanges(after: mark, limit: 10).isEmpty)

    _ = try await store.commitDetection([alert("a", count: 9)], progress: nil, at: t0)
    _ = try await store.updateStatus("b", to: .closed, by: "ops", note: nil, at: t0)
    let changed = try await store.alertChanges(after: mark, limit: 10)
    #expect(changed.map(\.id) == ["a", "b"])
    #expect(changed[0].count == 9 && changed[1].status == .closed)
    #expect(try await store.alertChanges(after: 0, limit: 10).map(\.id) == ["c", "a", "b"])
    #expect(try await store.alertChanges(after: 0, limit: 1).map(\.id) == ["c"])
  }
}

/// The notification outbox, on every store: queued with the alert that caused it, once; delivered,
/// retried or failed as the dispatcher records; status changes queue their follow-ups.
@Suite struct NotificationOutboxContractTests {
  let t0 = SampleEvents.now

  func alert(_ id: String) -> AlertRecord {
    AlertRecord(
      id: id, rule: "rule.\(id)", title: "Title", severity: .high, group: ["acme"], groupFields: ["event.account"],
      period: 0, first: 1, last: 2, count: 1, evidence: [], at: t0)
  }

  @Test(arguments: StoreKind.allCases) func notificationsAreQueuedOnceAndTrackedToTheEnd(kind: StoreKind)
    async throws
  {
    let directory = try TemporaryDirectory()
    let store = try await kind.make(in: directory)
    let notify = ["a": ["hook", "pager"], "b": ["pager"]]
    _ = try await store.commitDetection([alert("a"), alert("b")], progress: nil, notify: notify, at: t0)
    // A re-judged batch (after a restart) upserts the alerts and queues nothing more.
    _ = try await store.commitDetection([alert("a"), alert("b")], progress: nil, notify: notify, at: t0)
    let due = try await store.dueNotifications(at: t0, limit: 10)
    #expect(due.map { "\($0.alertID)>\($0.notifier)" } == ["a>hook", "a>pager", "b>pager"])
    #expect(due.allSatisfy { $0.action == .trigger && $0.state == .pending && $0.attempts == 0 })

    let later = t0.adding(seconds: 30)
    try await store.recordDelivery(due[0].id, outcome: .delivered, at: t0)
    try await store.recordDelivery(due[1].id, outcome: .retry(error: "HTTP 503", next: later), at: t0)
    try await store.recordDelivery(due[2].id, outcome: .failed(error: "HTTP 400"), at: t0)
    #expect(try await store.dueNotifications(at: t0, limit: 10).isEmpty, "the retry waits for its time")
    let retried = try await store.dueNotifications(at: later, limit: 10)
    #expect(retried.map(\.id) == [due[1].id] && retried.first?.attempts == 1)

    let summary = try await store.notificationSummary()
    #expect(summary.map(\.notifier) == ["hook", "pager"])
    #expect(summary[0].delivered == 1 && summary[0].lastDeliveredAt == t0 && summary[0].lastError == nil)
    #expect(summary[1].pending == 1 && summary[1].failed == 1 && summary[1].lastError != nil)

    // Acknowledging queues an acknowledge for each notifier the alert was triggered on; the same
    // status again queues nothing.
    _ = try await store.updateStatus("a", to: .acknowledged, by: "ops", note: nil, at: later)
    _ = try await store.updateStatus("a", to: .acknowledged, by: "ops", note: "still", at: later)
    _ = try await store.updateStatus("a", to: .closed, by: "ops", note: nil, at: later)
    let actions = try await store.notifications(alert: "a").map { "\($0.notifier):\($0.action.rawValue)" }
    #expect(
      actions == [
        "hook:trigger", "pager:trigger", "hook:acknowledge", "pager:acknowledge", "hook:resolve", "pager:resolve",
      ])
    try await store.recordDelivery(
      try #require(try await store.notifications(alert: "a").last).id, outcome: .skipped, at: later)
    #expect(try await store.notifications(alert: "a").last?.state == .skipped)

    // Pruning forgets handled notifications older than the cut; pending ones stay whatever their age.
    let pendingBefore = try await store.dueNotifications(at: later.adding(seconds: 3_600), limit: 100).count
    let forgotten = try await store.pruneNotifications(before: later.adding(seconds: 1))
    #expect(forgotten == 3, "the delivered, failed and skipped notifications")
    #expect(try await store.dueNotifications(at: later.adding(seconds: 3_600), limit: 100).count == pendingBefore)
    #expect(try await store.notificationSummary().allSatisfy { $0.delivered == 0 && $0.failed == 0 })
  }
}
