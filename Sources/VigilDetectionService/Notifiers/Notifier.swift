import Foundation
import VigilBase
import VigilCore

/// One notification to send: an alert as it stands now, and what happened to it.
package struct Notification: Sendable {
  package var alert: AlertRecord
  package var action: NotificationAction
  /// The outbox entry's id: the same on every retry, so receivers can drop repeats.
  package var delivery: Int64

  package init(alert: AlertRecord, action: NotificationAction, delivery: Int64) {
    self.alert = alert
    self.action = action
    self.delivery = delivery
  }
}

/// Something that tells people about alerts: a webhook, Slack, PagerDuty, email.
package protocol Notifier: Sendable {
  var name: String { get }
  /// Whether this notifier sends `action` at all (Slack and email tell of new alerts only).
  func sends(_ action: NotificationAction) -> Bool
  func deliver(_ notification: Notification) async throws(DeliveryFailure)
}

/// The words every notifier uses for an alert.
package enum AlertWording {
  /// `event.account=acme, user.email=a@b.c`: the group's fields and values.
  package static func group(_ alert: AlertRecord) -> [(field: String, value: String)] {
    zip(alert.groupFields, alert.group).map { (field: $0, value: $1) }
  }

  package static func time(_ nanoseconds: Int64) -> String {
    FieldValue.timestamp(nanoseconds: nanoseconds).rfc3339
  }

  /// One line: `High: Title (user.email=a@b.c)`, without control characters, at most `limit` characters.
  package static func summary(_ alert: AlertRecord, limit: Int = 300, severity: Bool = true) -> String {
    let keys = group(alert).filter { $0.field != "event.account" }.map { "\($0.field)=\($0.value)" }
    var line = severity ? "\(alert.severity.rawValue.capitalized): \(alert.title)" : alert.title
    if !keys.isEmpty { line += " (" + keys.joined(separator: ", ") + ")" }
    return bounded(line, limit)
  }

  /// `text` with what `Printable` deems unsafe (control, bidi and zero-width characters, line
  /// separators) replaced by spaces, cut to `limit` characters with an ellipsis.
  package static func bounded(_ text: String, _ limit: Int) -> String {
    let clean = String(
      String.UnicodeScalarView(text.unicodeScalars.map { Printable.isUnsafe($0) ? " " : $0 }))
    guard clean.count > limit else { return clean }
    return String(clean.prefix(max(0, limit - 1))) + "…"
  }

  /// What the action says happened, for titles and event names.
  package static func verb(_ action: NotificationAction) -> String {
    switch action {
    case .trigger: "triggered"
    case .acknowledge: "acknowledged"
    case .resolve: "resolved"
    }
  }
}
