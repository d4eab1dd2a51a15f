import Foundation
import VigilBase
import VigilCore

/// Posts new alerts to a Slack incoming webhook as a Block Kit message. Event fields are escaped for
/// Slack's mrkdwn (`&`, `<`, `>`), so a field cannot mention `@channel` or forge a link; each is cut
/// to fit Slack's limits.
package struct SlackNotifier: Notifier {
  package let name: String
  let url: String
  let delivery: HTTPDelivery

  package init(name: String, url: String, transport: any HTTPTransport) {
    self.name = name
    self.url = url
    // The whole webhook URL is the credential.
    delivery = HTTPDelivery(transport: transport, name: name, secrets: [url])
  }

  package func sends(_ action: NotificationAction) -> Bool { action == .trigger }

  package func deliver(_ notification: Notification) async throws(DeliveryFailure) {
    try await delivery.post(url, body: Self.body(notification.alert))
  }

  struct Text: Encodable {
    var type: String
    var text: String
  }

  struct Block: Encodable {
    var type: String
    var text: Text?
    var fields: [Text]?
    var elements: [Text]?
  }

  struct Message: Encodable {
    var text: String
    var blocks: [Block]
  }

  /// Slack mrkdwn with the three characters Slack asks to escape escaped, and no control characters.
  package static func escaped(_ text: String, limit: Int) -> String {
    AlertWording.bounded(text, limit).replacing("&", with: "&amp;").replacing("<", with: "&lt;")
      .replacing(">", with: "&gt;")
  }

  static func mark(_ severity: Severity) -> String {
    switch severity {
    case .critical: "🟥"
    case .high: "🟧"
    case .medium: "🟨"
    case .low, .info: "🟦"
    }
  }

  package static func body(_ alert: AlertRecord) -> [UInt8] {
    let group = AlertWording.group(alert).prefix(8).map {
      "• \(escaped($0.field, limit: 60)): `\(escaped($0.value, limit: 200).replacing("`", with: "'"))`"
    }
    let when =
      alert.first == alert.last
      ? AlertWording.time(alert.first) : "\(AlertWording.time(alert.first)) → \(AlertWording.time(alert.last))"
    var blocks = [
      Block(
        type: "header",
        text: Text(
          type: "plain_text",
          text: AlertWording.bounded(
            "\(mark(alert.severity)) \(alert.severity.rawValue.capitalized): \(alert.title)", 150)
        )),
      Block(
        type: "section",
        fields: [
          Text(type: "mrkdwn", text: "*Rule*\n`\(escaped(alert.rule, limit: 200))`"),
          Text(type: "mrkdwn", text: "*Events*\n\(alert.count)"),
          Text(type: "mrkdwn", text: "*When*\n\(when)"),
          Text(type: "mrkdwn", text: "*Alert*\n`\(escaped(alert.id, limit: 200))`"),
        ]),
    ]
    if !group.isEmpty {
      blocks.append(
        Block(type: "section", text: Text(type: "mrkdwn", text: "*Group*\n" + group.joined(separator: "\n"))))
    }
    blocks.append(
      Block(
        type: "context",
        elements: [Text(type: "mrkdwn", text: "Vigil · `vigil alerts show \(escaped(alert.id, limit: 200))`")]))
    return NotificationJSON.encode(Message(text: escaped(AlertWording.summary(alert), limit: 300), blocks: blocks))
  }
}
