import Foundation
import Testing
import VigilBase
import VigilCore
import VigilEventsAPIModel
import VigilForwarder
import VigilQuery
import VigilSinks
import VigilTestSupport

/// The alerts stream: a sink whose filter selects `stream:alerts` sends every change of every alert
/// (each change once, as its own document), beside the events its filter selects.
@Suite struct AlertForwardingTests {
  static func alert(_ id: String, rule: String, severity: Severity, title: String) -> AlertRecord {
    AlertRecord(
      id: id, rule: rule, title: title, severity: severity, group: ["acme", "ann@example.com"],
      groupFields: ["event.account", "user.email"], period: 0,
      first: FieldValue.nanoseconds(SampleEvents.now) - 600_000_000_000, last: FieldValue.nanoseconds(SampleEvents.now),
      count: 7, evidence: [AlertEvidence(sequence: 3, uuid: "evidence-uuid")], at: SampleEvents.now)
  }

  @Test func elasticsearchGetsEachAlertChangeAndTheSelectedEvents() async throws {
    let events = SampleEvents.generate(users: 3, days: 1) { _ in "acme" }
    let audit = events.filter { $0.stream == .auditEvents }
    let store = try await SinkHarness.store(events)
    _ = try await store.commitDetection(
      [
        Self.alert("a-1", rule: "signin.brute_force_user", severity: .high, title: "Brute force <script>"),
        Self.alert("a-2", rule: "audit.mfa_disabled", severity: .critical, title: "MFA disabled"),
      ], progress: nil, notify: [:], at: SampleEvents.now)
    let selection = try SinkSelection.of(try QueryParser.parse("stream:alerts OR stream:audit", now: 0).filter)
    #expect(selection.alerts && selection.events)
    try await SinkHarness.withTransport { transport in
      try await VendorReceiver.with(ElasticsearchContract(authorization: "ApiKey k3y")) { receiver, url in
        let destination = ElasticsearchDestination(url: url, mode: .ecs, namespace: "prod", auth: .apiKey("k3y"))
        let connection = HTTPSinkConnection(destination: destination, transport: transport)
        func runUntilRevision(_ revision: Int64) async throws {
          let newest = await store.newestSequence()
          try await SinkHarness.run(SinkHarness.service("elastic", connection, store: store, selection: selection)) {
            let status = await store.sinkStatuses().first
            return await store.checkpoint("sink:elastic") == newest && status?.alertRevision == revision
          }
        }
        try await runUntilRevision(2)
        #expect(receiver.problems.isEmpty)
        let alerts = receiver.documents.filter { $0.destination == "logs-vigil.alerts-prod" }
        #expect(alerts.compactMap { $0.value("vigil.alert.id") as? String }.sorted() == ["a-1", "a-2"])
        let first = try #require(alerts.first { $0.value("vigil.alert.id") as? String == "a-1" })
        #expect(first.value("event.kind") as? String == "alert")
        #expect(first.value("rule.id") as? String == "signin.brute_force_user")
        #expect(first.value("message") as? String == "Brute force <script>")
        #expect(first.value("event.severity") as? Int == 73)
        #expect(first.value("organization.name") as? String == "acme")
        #expect(first.value("vigil.alert.count") as? Int == 7)
        #expect(first.value("vigil.alert.group.user.email") == nil)
        #expect((first.value("vigil.alert.group") as? [String: Any])?["user.email"] as? String == "ann@example.com")
        // Only the audit events: the filter's other alternative.
        let forwarded = receiver.documents.filter { $0.destination != "logs-vigil.alerts-prod" }
        #expect(forwarded.count == audit.count)
        #expect(forwarded.allSatisfy { $0.destination == "logs-1password.audit_events-prod" })

        // Acknowledging an alert is a change: it is sent again, as a new document.
        let acknowledged = await store.updateStatus(
          "a-1", to: .acknowledged, by: "alice", note: nil, at: SampleEvents.now)
        try await runUntilRevision(try #require(acknowledged?.revision))
        let changes = receiver.documents.filter { $0.value("vigil.alert.id") as? String == "a-1" }
        #expect(changes.compactMap { $0.value("vigil.alert.status") as? String } == ["open", "acknowledged"])
        #expect(receiver.documents.count == audit.count + 3)
      }
    }
  }

  @Test func aSinkForAlertsOnlyKeepsItsEventCheckpointAtTheEndOfTheLog() async throws {
    let store = try await SinkHarness.store(SampleEvents.generate(users: 2, days: 1) { _ in "acme" })
    _ = try await store.commitDetection(
      [Self.alert("a-1", rule: "r", severity: .low, title: "t")], progress: nil, notify: [:], at: SampleEvents.now)
    let selection = try SinkSelection.of(try QueryParser.parse("stream:alerts", now: 0).filter)
    #expect(selection.alerts && !selection.events)
    try await SinkHarness.withTransport { transport in
      try await VendorReceiver.with(SumoLogicContract(token: "t0k")) { receiver, url in
        let connection = HTTPSinkConnection(
          destination: SumoLogicDestination(url: url + "/receiver/v1/http/t0k"), transport: transport)
        let newest = await store.newestSequence()
        try await SinkHarness.run(SinkHarness.service("sumo", connection, store: store, selection: selection)) {
          await store.checkpoint("sink:sumo") == newest && !receiver.documents.isEmpty
        }
        // Retention is not held back by a sink that takes no events.
        #expect(await store.checkpoint("sink:sumo") == newest)
        #expect(receiver.documents.count == 1)
        #expect(receiver.documents.first?.value("id") as? String == "a-1")
      }
    }
  }
}
