import VigilBase
import VigilCore

/// Sends alerts to PagerDuty's Events API v2: a trigger for a new alert, then acknowledge and resolve
/// as people handle it, all under the alert id as `dedup_key` so they land on one incident.
package struct PagerDutyNotifier: Notifier {
  package let name: String
  let url: String
  let routingKey: String
  let delivery: HTTPDelivery

  package init(name: String, url: String, routingKey: String, transport: any HTTPTransport) {
    self.name = name
    self.url = url
    self.routingKey = routingKey
    delivery = HTTPDelivery(transport: transport, name: name, secrets: [routingKey])
  }

  package func sends(_ action: NotificationAction) -> Bool { true }

  package func deliver(_ notification: Notification) async throws(DeliveryFailure) {
    try await delivery.post(url, body: Self.body(notification, routingKey: routingKey))
  }

  struct Payload: Encodable {
    var summary: String
    var source: String
    var severity: String
    var timestamp: String
    var component: String?
    var group: String
    var `class`: String
    var customDetails: AlertDocument

    enum CodingKeys: String, CodingKey {
      case summary, source, severity, timestamp, component, group, `class`
      case customDetails = "custom_details"
    }
  }

  struct Event: Encodable {
    var routingKey: String
    var eventAction: String
    var dedupKey: String
    var client: String?
    var payload: Payload?

    enum CodingKeys: String, CodingKey {
      case routingKey = "routing_key"
      case eventAction = "event_action"
      case dedupKey = "dedup_key"
      case client, payload
    }
  }

  /// PagerDuty knows four severities.
  package static func severity(_ severity: Severity) -> String {
    switch severity {
    case .critical: "critical"
    case .high: "error"
    case .medium: "warning"
    case .low, .info: "info"
    }
  }

  package static func body(_ notification: Notification, routingKey: String) -> [UInt8] {
    let alert = notification.alert
    var event = Event(routingKey: routingKey, eventAction: notification.action.rawValue, dedupKey: alert.id)
    if notification.action == .trigger {
      let account = zip(alert.groupFields, alert.group).first { $0.0 == "event.account" }?.1
      event.client = "Vigil"
      event.payload = Payload(
        summary: AlertWording.summary(alert, limit: 1_024),
        source: AlertWording.bounded("vigil/\(account ?? "1password")", 255),
        severity: severity(alert.severity), timestamp: AlertWording.time(alert.first),
        component: account.map { AlertWording.bounded($0, 255) }, group: alert.rule, class: alert.rule,
        customDetails: AlertDocument(alert))
    }
    return NotificationJSON.encode(event)
  }
}
