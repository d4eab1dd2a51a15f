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
    let store = try kind.make(in: directory)
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
    query = AlertQuery()
    query.status = .open
    #expect(try await store.alerts(query).map(\.id) == ["b"])
    #expect(try await store.updateStatus("missing", to: .closed, by: "x", note: nil, at: later) == nil)
  }
}
