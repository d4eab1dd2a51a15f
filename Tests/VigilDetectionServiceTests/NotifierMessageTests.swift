import Foundation
import Testing
import VigilBase
import VigilCore
import VigilDetectionService
import VigilTestSupport

/// What each notifier writes, with hostile event fields: nothing escapes its place.
@Suite struct NotifierMessageTests {
  static let hostile =
    "<!channel> <https://evil.example|click> & \r\nBcc: victim@example.com\r\n<script>x</script> \u{202E}lmth.exe"

  static func alert() -> AlertRecord {
    AlertRecord(
      id: "rule:0:abc", rule: "signin.failure-burst", title: "Many failed sign-ins", severity: .critical,
      group: ["acme", hostile], groupFields: ["event.account", "user.email"], period: 0, first: 0, last: 60_000_000_000,
      count: 7, evidence: [AlertEvidence(sequence: 1, uuid: "E1")], at: SampleEvents.now)
  }

  @Test func slackEscapesMentionsAndLinks() throws {
    let text = String(decoding: SlackNotifier.body(Self.alert()), as: UTF8.self)
    #expect(!text.contains("<!channel>") && !text.contains("<https://evil"))
    #expect(text.contains("&lt;!channel&gt;"))
    #expect(!text.contains("\u{202E}"), "a bidi override would reorder what the reader sees")
    let json = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    let blocks = try #require(json["blocks"] as? [[String: Any]])
    let header = try #require((blocks.first?["text"] as? [String: Any])?["text"] as? String)
    #expect(header.count <= 150 && header.contains("Critical"))
  }

  @Test func emailHeadersCannotBeInjectedAndHTMLIsEscaped() throws {
    var alert = Self.alert()
    alert.title = "Export by \(Self.hostile)"
    let notification = Notification(alert: alert, action: .trigger, delivery: 9)
    let message = EmailNotifier.message(
      notification, from: "vigil@example.com", to: ["soc@example.com"], at: SampleEvents.now)
    let text = String(decoding: message.bytes, as: UTF8.self)
    let headers = try #require(text.components(separatedBy: "\r\n\r\n").first)
    #expect(!headers.contains("\r\nBcc:") && !message.text.contains("\u{202E}") && !message.html.contains("\u{202E}"))
    #expect(headers.contains("Subject: [Vigil critical]"))
    // Every line ends in CRLF and stays short enough for SMTP.
    #expect(text.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 998 && !$0.contains("\n") })
    let html = try #require(message.html.range(of: "<h2>").map { String(message.html[$0.lowerBound...]) })
    #expect(!html.contains("<script>") && html.contains("&lt;script&gt;"))
    #expect(message.text.contains("E1") && message.text.contains("vigil alerts show rule:0:abc"))
  }

  @Test func aNonASCIISubjectIsEncoded() {
    var alert = Self.alert()
    alert.title = "Connexion réussie depuis un pays à risque"
    alert.group = ["acme", "zoë@example.com"]
    let message = EmailNotifier.message(
      Notification(alert: alert, action: .trigger, delivery: 1), from: "v@example.com", to: ["s@example.com"],
      at: SampleEvents.now)
    let text = String(decoding: message.bytes, as: UTF8.self)
    #expect(text.contains("Subject: [Vigil critical] Connexion =?utf-8?B?"))
    #expect(text.unicodeScalars.allSatisfy { $0.isASCII })
  }

  @Test func pagerDutyUsesItsSeveritiesAndBoundsTheSummary() throws {
    var alert = Self.alert()
    alert.title = String(repeating: "x", count: 5_000)
    let body = PagerDutyNotifier.body(Notification(alert: alert, action: .trigger, delivery: 1), routingKey: "K")
    let json = try #require(try JSONSerialization.jsonObject(with: Data(body)) as? [String: Any])
    let payload = try #require(json["payload"] as? [String: Any])
    #expect(payload["severity"] as? String == "critical")
    #expect((payload["summary"] as? String)?.count == 1_024)
    #expect(json["dedup_key"] as? String == "rule:0:abc")
    #expect(Severity.allCases.map(PagerDutyNotifier.severity) == ["info", "info", "warning", "error", "critical"])
  }
}
