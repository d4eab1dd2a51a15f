import Crypto
import Foundation
import Logging
import Testing
import VigilBase
import VigilCore
import VigilDetection
import VigilDetectionService
import VigilHTTP
import VigilSMTP
import VigilTestSupport

/// The outbox delivered to real loopback receivers over the runtime's HTTP transport: every
/// notifier's body and signature, an outage followed by recovery, a permanent refusal.
@Suite struct NotificationDeliveryTests {
  static let secret = "whsec-test-0123456789"
  static let routingKey = "R0UT1NGKEY0123456789abcdef012345"

  static func alert(_ id: String, title: String = "Many failed sign-ins", severity: Severity = .high) -> AlertRecord {
    AlertRecord(
      id: id, rule: "signin.failure-burst", title: title, severity: severity, group: ["acme", "user-\(id)"],
      groupFields: ["event.account", "user.email"], period: 0, first: 1_700_000_000_000_000_000,
      last: 1_700_000_060_000_000_000, count: 5,
      evidence: [AlertEvidence(sequence: 1, uuid: "E1-\(id)"), AlertEvidence(sequence: 2, uuid: "E2-\(id)")],
      at: SampleEvents.now)
  }

  static func notifiers(_ base: String, transport: any HTTPTransport) -> [any Notifier] {
    [
      WebhookNotifier(
        name: "hook", url: base + "/webhook", secret: secret, transport: transport, clock: SystemClock()),
      SlackNotifier(name: "slack", url: base + "/slack", transport: transport),
      PagerDutyNotifier(name: "pager", url: base + "/pagerduty", routingKey: routingKey, transport: transport),
    ]
  }

  static func service(_ store: any EventStore, _ notifiers: [any Notifier]) -> NotificationService {
    var settings = NotificationSettings()
    settings.retryBase = 0.05
    settings.retryCap = 0.2
    return NotificationService(
      store: store, notifiers: notifiers, settings: settings, clock: SystemClock(), logger: Logger(label: "test"))
  }

  /// Passes until nothing is pending. Bounded by passes, not by wall time: under the whole suite the
  /// two cores' thread pool can be held by long synchronous tests for minutes, and a wall-clock
  /// deadline would then expire before a retry's turn came.
  static func drain(_ service: NotificationService, _ store: any EventStore) async throws {
    var pass = NotificationService.DeliveryPass()
    for _ in 0..<3_000 {
      try await service.deliverDue(&pass)
      if try await store.notificationSummary().allSatisfy({ $0.pending == 0 }) { return }
      try await Task.sleep(for: .milliseconds(20))
    }
  }

  @Test func anOutageThenRecoveryDeliversEveryNotificationOnce() async throws {
    try await NotificationReceiver.with { receiver, base in
      let transport = try AsyncHTTPTransport(settings: HTTPSettings())
      defer { Task { try? await transport.shutdown() } }
      let store: any EventStore = InMemoryEventStore()
      let ids = ["a1", "a2", "a3"]
      let everyone = Dictionary(uniqueKeysWithValues: ids.map { ($0, ["hook", "slack", "pager"]) })
      _ = try await store.commitDetection(
        ids.map { Self.alert($0) }, progress: nil, notify: everyone, at: SampleEvents.now)
      // Detection commits the same alerts again (a restart re-judges them): nothing new is queued.
      _ = try await store.commitDetection(
        ids.map { Self.alert($0) }, progress: nil, notify: everyone, at: SampleEvents.now)

      receiver.failFirst(3)
      let service = Self.service(store, Self.notifiers(base, transport: transport))
      try await Self.drain(service, store)

      for path in ["/webhook", "/slack", "/pagerduty"] {
        // The outage happened: each receiver refused its first three requests.
        #expect(receiver.refused(path).count == 3)
        #expect(receiver.accepted(path).count == 3, "\(path) got every alert once")
      }
      // Webhook: one delivery per alert, each signed over its timestamp and body.
      let hooks = receiver.accepted("/webhook")
      #expect(Set(hooks.map { ($0.json["alert"] as? [String: Any])?["id"] as? String ?? "" }) == Set(ids))
      #expect(Set(hooks.compactMap { $0.headers["x-vigil-delivery"] }).count == 3)
      for hook in hooks {
        let timestamp = try #require(hook.headers["x-vigil-timestamp"])
        let signed = Array("\(timestamp).".utf8) + hook.body
        let expected = HMAC<SHA256>.authenticationCode(for: signed, using: SymmetricKey(data: Array(Self.secret.utf8)))
          .map { String(format: "%02x", $0) }.joined()
        #expect(hook.headers["x-vigil-signature"] == "sha256=" + expected)
        #expect(hook.json["type"] as? String == "alert.triggered")
        let alert = try #require(hook.json["alert"] as? [String: Any])
        #expect((alert["group"] as? [String: String])?["event.account"] == "acme")
        #expect((alert["evidence"] as? [[String: Any]])?.count == 2)
        #expect(abs((Int64(timestamp) ?? 0) - SystemClock().now.seconds) < 60)
      }
      // PagerDuty: trigger events keyed by the alert id, with PagerDuty's own severity.
      let pages = receiver.accepted("/pagerduty").map(\.json)
      #expect(Set(pages.compactMap { $0["dedup_key"] as? String }) == Set(ids))
      #expect(
        pages.allSatisfy {
          $0["routing_key"] as? String == Self.routingKey && $0["event_action"] as? String == "trigger"
        })
      #expect(pages.allSatisfy { ($0["payload"] as? [String: Any])?["severity"] as? String == "error" })
      // Slack: a Block Kit message.
      let slack = try #require(receiver.accepted("/slack").first?.json)
      #expect((slack["blocks"] as? [[String: Any]])?.first?["type"] as? String == "header")

      let summary = try await store.notificationSummary()
      #expect(summary.map(\.notifier) == ["hook", "pager", "slack"])
      #expect(summary.allSatisfy { $0.delivered == 3 && $0.pending == 0 && $0.failed == 0 })
      #expect(summary.allSatisfy { $0.lastError?.contains("HTTP 503") == true })

      // Closing an alert resolves its PagerDuty incident and tells the webhook; Slack stays quiet.
      _ = try await store.updateStatus("a2", to: .closed, by: "ops", note: "handled", at: SampleEvents.now)
      try await Self.drain(service, store)
      let resolve = try #require(receiver.accepted("/pagerduty").last?.json)
      #expect(resolve["event_action"] as? String == "resolve" && resolve["dedup_key"] as? String == "a2")
      #expect(resolve["payload"] == nil)
      #expect(receiver.accepted("/webhook").last?.json["type"] as? String == "alert.resolved")
      #expect(receiver.accepted("/slack").count == 3)
      let a2 = try await store.notifications(alert: "a2")
      #expect(
        a2.filter { $0.action == .resolve }.map(\.state).sorted { $0.rawValue < $1.rawValue } == [
          .delivered, .delivered, .skipped,
        ])
    }
  }

  @Test func aRefusedRequestFailsAtOnceWithoutTheSecret() async throws {
    try await NotificationReceiver.with { receiver, base in
      let transport = try AsyncHTTPTransport(settings: HTTPSettings())
      defer { Task { try? await transport.shutdown() } }
      let store: any EventStore = InMemoryEventStore()
      receiver.answer(400, on: "/pagerduty")
      _ = try await store.commitDetection(
        [Self.alert("b1")], progress: nil, notify: ["b1": ["pager"]], at: SampleEvents.now)
      try await Self.drain(Self.service(store, Self.notifiers(base, transport: transport)), store)
      #expect(receiver.refused("/pagerduty").count == 1, "one attempt: a 400 is not retried")
      let summary = try #require(try await store.notificationSummary().first)
      #expect(summary.failed == 1 && summary.pending == 0)
      let error = try #require(summary.lastError)
      #expect(error.contains("HTTP 400") && !error.contains(Self.routingKey))
    }
  }

  @Test func nothingListeningIsRetriedAndNamedWithoutTheSlackURL() async throws {
    // A port that was just free: nothing listens there.
    let base = try await NotificationReceiver.with { _, base in base }
    let transport = try AsyncHTTPTransport(settings: HTTPSettings())
    defer { Task { try? await transport.shutdown() } }
    let store: any EventStore = InMemoryEventStore()
    _ = try await store.commitDetection(
      [Self.alert("c1")], progress: nil, notify: ["c1": ["slack"]], at: SampleEvents.now)
    let url = base + "/services/T000/B000/XXXXSECRETXXXX"
    let service = Self.service(store, [SlackNotifier(name: "slack", url: url, transport: transport)])
    var pass = NotificationService.DeliveryPass()
    try await service.deliverDue(&pass)
    let summary = try #require(try await store.notificationSummary().first)
    #expect(summary.pending == 1 && summary.failed == 0, "unreachable is worth a retry")
    let error = try #require(summary.lastError)
    #expect(error.contains("cannot reach 127.0.0.1") && !error.contains("XXXXSECRETXXXX"))
  }
}

/// Email notifications: through the fake relay when it is down, and through a real one (aiosmtpd with
/// STARTTLS and AUTH) as a mail client would read them.
@Suite struct EmailDeliveryTests {
  @Test func aRelayOutageDelaysTheMailButSendsItOnce() async throws {
    let store: any EventStore = InMemoryEventStore()
    let relay = RecordingMailTransport(failures: 2)
    let email = EmailNotifier(
      name: "mail", from: "vigil@example.com", to: ["soc@example.com"], transport: relay, clock: SystemClock())
    _ = try await store.commitDetection(
      [NotificationDeliveryTests.alert("m1")], progress: nil, notify: ["m1": ["mail"]], at: SampleEvents.now)
    try await NotificationDeliveryTests.drain(NotificationDeliveryTests.service(store, [email]), store)
    #expect(relay.attempts == 3, "two refused attempts, then the delivery")
    #expect(relay.sent.count == 1 && relay.sent.first?.recipients == ["soc@example.com"])
    let summary = try #require(try await store.notificationSummary().first)
    #expect(summary.delivered == 1 && summary.lastError?.contains("connection refused") == true)
  }

  @Test func anAlertArrivesAsTextAndHTMLThroughARealRelay() async throws {
    let directory = try TemporaryDirectory()
    let relay = try await SMTPRelay.start(in: directory)
    defer { relay.stop() }
    var smtp = SMTPClient.Configuration(host: "localhost", port: relay.port)
    smtp.username = SMTPRelay.user
    smtp.password = SMTPRelay.password
    smtp.caFile = relay.certificate
    smtp.timeout = 10
    let email = EmailNotifier(
      name: "mail", from: "vigil@example.com", to: ["soc@example.com"], transport: SMTPClient(smtp),
      clock: SystemClock())
    var alert = NotificationDeliveryTests.alert("m2", title: "Vault export by <img src=x>")
    alert.group = ["acme", ".leading-dot@example.com"]
    try await email.deliver(Notification(alert: alert, action: .trigger, delivery: 4))
    let received = try relay.received()
    try #require(received.count == 1)
    let message = received[0].message
    #expect(message.contains("Content-Type: multipart/alternative"))
    #expect(message.contains("Content-Type: text/plain; charset=utf-8"))
    #expect(message.contains("Content-Type: text/html; charset=utf-8"))
    #expect(message.contains("Subject: [Vigil high] Vault export by <img src=x>"))
    let parts = message.components(separatedBy: "--=_vigil_alternative")
    try #require(parts.count == 4)
    let html = try #require(MIMEPart.decode(parts[2]))
    #expect(html.contains("&lt;img src=x&gt;") && !html.contains("<img"))
    let text = try #require(MIMEPart.decode(parts[1]))
    #expect(text.contains("E1-m2") && text.contains("user.email: .leading-dot@example.com"))
  }
}

/// A base64 part's body, decoded.
enum MIMEPart {
  static func decode(_ part: String) -> String? {
    guard let blank = part.range(of: "\r\n\r\n") ?? part.range(of: "\n\n") else { return nil }
    let encoded = part[blank.upperBound...].filter { !$0.isWhitespace }
    return Data(base64Encoded: String(encoded)).map { String(decoding: $0, as: UTF8.self) }
  }
}
