import Foundation
import VigilBase
import VigilCore

/// Emails new alerts through an SMTP relay, as plain text with an HTML alternative. Every event
/// field in the HTML part is escaped.
package struct EmailNotifier: Notifier {
  package let name: String
  let from: String
  let to: [String]
  let transport: any MailTransport
  let clock: any VigilClock

  package init(name: String, from: String, to: [String], transport: any MailTransport, clock: any VigilClock) {
    self.name = name
    self.from = from
    self.to = to
    self.transport = transport
    self.clock = clock
  }

  package func sends(_ action: NotificationAction) -> Bool { action == .trigger }

  package func deliver(_ notification: Notification) async throws(DeliveryFailure) {
    let message = Self.message(notification, from: from, to: to, at: clock.now)
    do {
      try await transport.send(MailEnvelope(from: from, recipients: to, message: message.bytes))
    } catch {
      throw DeliveryFailure("\(name): \(error.message)", permanent: error.permanent)
    }
  }

  package static func message(_ notification: Notification, from: String, to: [String], at time: Timestamp)
    -> MIMEMessage
  {
    let alert = notification.alert
    let group = AlertWording.group(alert).map { ($0.field, AlertWording.bounded($0.value, 500)) }
    let when = "\(AlertWording.time(alert.first)) to \(AlertWording.time(alert.last))"
    var text = [
      AlertWording.summary(alert, limit: 1_000), "",
      "Rule:     \(alert.rule)", "Severity: \(alert.severity.rawValue)", "Events:   \(alert.count)",
      "When:     \(when)",
    ]
    text += group.map { "\($0.0): \($0.1)" }
    text += ["", "Evidence (event uuids):"] + alert.evidence.prefix(20).map { "  \($0.uuid)" }
    text += ["", "Alert \(alert.id). See it with: vigil alerts show \(alert.id)"]

    let rows =
      ([("Rule", alert.rule), ("Severity", alert.severity.rawValue), ("Events", "\(alert.count)"), ("When", when)]
      + group).map { "<tr><th align=\"left\">\(html($0.0))</th><td>\(html($0.1))</td></tr>" }
    let evidence = alert.evidence.prefix(20).map { "<li><code>\(html($0.uuid))</code></li>" }
    let body = """
      <!doctype html><html><body style="font-family: sans-serif">
      <h2>\(html(AlertWording.summary(alert, limit: 1_000)))</h2>
      <table cellpadding="4">\(rows.joined())</table>
      <p>Evidence (event uuids):</p><ul>\(evidence.joined())</ul>
      <p>Alert <code>\(html(alert.id))</code>. See it with <code>vigil alerts show \(html(alert.id))</code>.</p>
      </body></html>
      """
    let date = Date(timeIntervalSince1970: Double(time.seconds))
    return MIMEMessage(
      from: from, to: to,
      subject: "[Vigil \(alert.severity.rawValue)] " + AlertWording.summary(alert, limit: 200, severity: false),
      text: text.joined(separator: "\n"), html: body, date: date,
      messageID: "\(notification.delivery).\(time.seconds)@vigil")
  }

  /// HTML text: the five characters that can change meaning escaped.
  package static func html(_ text: String) -> String {
    var escaped = ""
    for character in text {
      switch character {
      case "&": escaped += "&amp;"
      case "<": escaped += "&lt;"
      case ">": escaped += "&gt;"
      case "\"": escaped += "&quot;"
      case "'": escaped += "&#39;"
      default: escaped.append(character)
      }
    }
    return escaped
  }
}
