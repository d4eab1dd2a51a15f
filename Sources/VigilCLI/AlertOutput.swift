import ArgumentParser
import Foundation
import VigilBase
import VigilCore
import VigilJSON

enum AlertFormat: String, ExpressibleByArgument, CaseIterable {
  case table, json, ndjson
}

/// Alerts as `vigil detect` and `vigil alerts` print them. Group values come from events, so every cell
/// goes through the terminal filter.
enum AlertOutput {
  static func write(_ alerts: [AlertRecord], format: AlertFormat) {
    switch format {
    case .table:
      let rows = alerts.map { alert in
        [
          alert.id, time(alert.last), alert.severity.rawValue, alert.status.rawValue, alert.rule,
          alert.group.dropFirst().joined(separator: " "), String(alert.count), alert.title,
        ].map { Printable.text($0) }
      }
      let header = ["ID", "LAST", "SEVERITY", "STATUS", "RULE", "GROUP", "EVENTS", "TITLE"]
      for line in TextTable.render(header: header, rows: rows) { say(line) }
    case .json:
      say("[")
      for (index, alert) in alerts.enumerated() { say(json(alert) + (index < alerts.count - 1 ? "," : "")) }
      say("]")
    case .ndjson:
      for alert in alerts { say(json(alert)) }
    }
  }

  static func time(_ nanoseconds: Int64) -> String { FieldValue.timestamp(nanoseconds: nanoseconds).rfc3339 }

  static func json(_ alert: AlertRecord) -> String {
    var json = JSONWriter()
    json.beginObject()
    json.field("id", alert.id)
    json.field("rule", alert.rule)
    json.field("title", alert.title)
    json.field("severity", alert.severity.rawValue)
    json.field("status", alert.status.rawValue)
    json.key("group")
    json.beginObject()
    for (name, value) in zip(alert.groupFields, alert.group) { json.field(name, value) }
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

  /// One alert in full, for `vigil alerts show`.
  static func describe(_ alert: AlertRecord) -> [String] {
    var lines = [
      "\(alert.id): \(alert.title)", "",
      "rule:      \(alert.rule)", "severity:  \(alert.severity.rawValue)",
      "status:    \(alert.status.rawValue)"
        + (alert.statusBy.map { " by \($0)" } ?? "") + (alert.statusAt.map { " at \($0.rfc3339)" } ?? ""),
    ]
    if let note = alert.statusNote { lines.append("note:      \(note)") }
    for (name, value) in zip(alert.groupFields, alert.group) { lines.append("\(name): \(value)") }
    lines += [
      "first:     \(time(alert.first))", "last:      \(time(alert.last))", "events:    \(alert.count)", "",
      "evidence (sequence, uuid; `vigil search 'uuid:…'` shows one):",
    ]
    lines += alert.evidence.map { "  \($0.sequence)  \($0.uuid)" }
    return lines
  }
}
