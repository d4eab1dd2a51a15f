import VigilBase
import VigilCore

extension CEFEncoder {
  /// The CEF line of one alert (the alerts stream of a syslog sink with `body: cef`):
  /// `CEF:0|Vigil|Vigil|1.0|RULE|TITLE|SEVERITY|…`, with the alert's id, times, count, account, status
  /// and group in the extension, escaped like every event value.
  package func alertLine(_ alert: AlertRecord) -> String {
    let header = [
      "CEF:0", "Vigil", "Vigil", "1.0", Self.escapeHeader(alert.rule), Self.escapeHeader(alert.title),
      String(Self.severity(alert.severity)),
    ]
    let group = zip(alert.groupFields, alert.group).map { "\($0)=\($1)" }.joined(separator: "; ")
    let pairs: [(String, String)] = [
      ("rt", Self.milliseconds(alert.updatedAt)), ("externalId", alert.id), ("cat", "alert"),
      ("start", Self.milliseconds(FieldValue.timestamp(nanoseconds: alert.first))),
      ("end", Self.milliseconds(FieldValue.timestamp(nanoseconds: alert.last))), ("cnt", String(alert.count)),
      ("sntdom", alert.account),
      ("cs1Label", "status"), ("cs1", alert.status.rawValue), ("cs2Label", "group"), ("cs2", group),
    ]
    return header.joined(separator: "|") + "|"
      + pairs.filter { !$0.1.isEmpty }.map { "\($0)=\(Self.escapeValue($1))" }.joined(separator: " ")
  }

  /// CEF's 0–10 scale.
  static func severity(_ severity: Severity) -> Int {
    switch severity {
    case .info: 1
    case .low: 3
    case .medium: 5
    case .high: 8
    case .critical: 10
    }
  }
}
