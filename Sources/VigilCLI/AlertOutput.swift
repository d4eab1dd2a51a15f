import ArgumentParser
import Foundation
import VigilBase
import VigilCore
import VigilDetection
import VigilJSON

enum AlertFormat: String, ExpressibleByArgument, CaseIterable {
  case table, json, ndjson
}

/// Alerts as `vigil detect` and `vigil alerts` print them.
enum AlertOutput {
  static func write(_ alerts: [Alert], format: AlertFormat) {
    switch format {
    case .table:
      let rows = alerts.map { alert in
        [
          Self.time(alert.first), alert.id.rule, alert.severity.rawValue,
          alert.id.group.dropFirst().joined(separator: " "),
          String(alert.count), alert.title,
        ].map { Printable.text($0) }
      }
      for line in TextTable.render(header: ["FIRST", "RULE", "SEVERITY", "GROUP", "EVENTS", "TITLE"], rows: rows) {
        say(line)
      }
    case .json:
      say("[")
      for (index, alert) in alerts.enumerated() { say(json(alert) + (index < alerts.count - 1 ? "," : "")) }
      say("]")
    case .ndjson:
      for alert in alerts { say(json(alert)) }
    }
  }

  static func time(_ nanoseconds: Int64) -> String { FieldValue.timestamp(nanoseconds: nanoseconds).rfc3339 }

  static func json(_ alert: Alert) -> String {
    var json = JSONWriter()
    json.beginObject()
    json.field("rule", alert.id.rule)
    json.field("title", alert.title)
    json.field("severity", alert.severity.rawValue)
    json.key("group")
    json.beginObject()
    for (name, value) in zip(alert.groupFields, alert.id.group) { json.field(name, value) }
    json.endObject()
    json.field("first", time(alert.first))
    json.field("last", time(alert.last))
    json.field("count", alert.count)
    json.key("evidence")
    json.beginArray()
    for event in alert.evidence { json.string(event.uuid) }
    json.endArray()
    json.endObject()
    return String(decoding: json.bytes, as: UTF8.self)
  }
}
