import VigilBase
import VigilCore
import VigilJSON

// How each receiver takes the alerts stream (a sink whose filter selects `stream:alerts`): Vigil's
// alert JSON (`AlertRecord.write`), wrapped the way the receiver wants a record. Sentinel has none:
// its data collection rule's stream is 1Password's event table.

extension ElasticsearchDestination {
  /// The data stream alerts go to: Vigil's own dataset, since Elastic's 1Password integration has none.
  package var alertsIndex: String { "logs-vigil.alerts-\(namespace)" }

  /// One document per change of an alert (data streams are append-only), with ECS's alert fields and the
  /// whole alert under `vigil.alert`.
  package func alert(_ alert: AlertRecord) -> [UInt8]? {
    var action = JSONWriter(capacity: 160)
    action.beginObject()
    action.key("create")
    action.beginObject()
    action.field("_index", alertsIndex)
    action.field("_id", "alert:\(alert.id):\(alert.revision)")
    action.endObject()
    action.endObject()
    var writer = JSONWriter(capacity: 1024)
    writer.beginObject()
    writer.field("@timestamp", alert.updatedAt.rfc3339)
    writer.field("message", alert.title)
    writer.key("event")
    writer.beginObject()
    writer.field("kind", "alert")
    writer.field("dataset", "vigil.alerts")
    writer.field("severity", AlertSeverityScale.ecs(alert.severity))
    writer.field("start", FieldValue.timestamp(nanoseconds: alert.first).rfc3339)
    writer.field("end", FieldValue.timestamp(nanoseconds: alert.last).rfc3339)
    writer.endObject()
    writer.key("rule")
    writer.beginObject()
    writer.field("id", alert.rule)
    writer.field("name", alert.title)
    writer.endObject()
    writer.key("organization")
    writer.beginObject()
    writer.field("name", alert.account)
    writer.endObject()
    writer.key("vigil")
    writer.beginObject()
    writer.key("alert")
    alert.write(into: &writer)
    writer.endObject()
    writer.key("data_stream")
    writer.beginObject()
    writer.field("type", "logs")
    writer.field("dataset", "vigil.alerts")
    writer.field("namespace", namespace)
    writer.endObject()
    writer.endObject()
    return action.bytes + [UInt8(ascii: "\n")] + writer.bytes + [UInt8(ascii: "\n")]
  }
}

extension SplunkHECDestination {
  /// Sourcetype `vigil:alert`, `time` of the alert's change, the alert as `event`.
  package func alert(_ alert: AlertRecord) -> [UInt8]? {
    var writer = JSONWriter(capacity: 1024)
    writer.beginObject()
    writer.key("time")
    writer.raw(Array(Self.epoch(alert.updatedAt).utf8))
    writer.field("host", host)
    writer.field("source", source)
    writer.field("sourcetype", "vigil:alert")
    writer.field("index", index)
    writer.key("event")
    alert.write(into: &writer)
    writer.endObject()
    return writer.bytes + [UInt8(ascii: "\n")]
  }
}

extension DatadogDestination {
  /// `ddsource: vigil`, the title as the message, the severity as Datadog's `status`, the alert as `alert`.
  package func alert(_ alert: AlertRecord) -> [UInt8]? {
    var writer = JSONWriter(capacity: 1024)
    writer.beginObject()
    writer.field("ddsource", "vigil")
    writer.field("service", service)
    writer.field("hostname", hostname)
    let alertTags = ["vigil_alert", "rule:\(Self.tagValue(alert.rule))", "account:\(Self.tagValue(alert.account))"]
    writer.field("ddtags", (alertTags + tags).joined(separator: ","))
    writer.field("timestamp", alert.updatedAt.rfc3339)
    writer.field("message", alert.title)
    writer.field("status", AlertSeverityScale.syslogName(alert.severity))
    writer.key("alert")
    alert.write(into: &writer)
    writer.endObject()
    return writer.bytes
  }
}

extension SumoLogicDestination {
  /// The alert's JSON, one per line, like the events.
  package func alert(_ alert: AlertRecord) -> [UInt8]? { alert.json + [UInt8(ascii: "\n")] }
}

extension OTLPDestination {
  /// One log record: the alert's change time, its severity, the alert's JSON as the body, and
  /// `vigil.alert.*` attributes.
  package func alert(_ alert: AlertRecord) -> [UInt8]? {
    var writer = JSONWriter(capacity: 1024)
    writer.beginObject()
    writer.field("timeUnixNano", String(FieldValue.nanoseconds(alert.updatedAt)))
    writer.field("severityNumber", AlertSeverityScale.otlp(alert.severity))
    writer.field("severityText", AlertSeverityScale.syslogName(alert.severity).uppercased())
    writer.key("body")
    writer.beginObject()
    writer.field("stringValue", String(decoding: alert.json, as: UTF8.self))
    writer.endObject()
    writer.key("attributes")
    writer.beginArray()
    for (key, value) in [
      ("vigil.alert.id", alert.id), ("vigil.alert.rule", alert.rule), ("vigil.alert.severity", alert.severity.rawValue),
      ("vigil.alert.status", alert.status.rawValue), ("event.account", alert.account),
    ] {
      writer.beginObject()
      writer.field("key", key)
      writer.key("value")
      writer.beginObject()
      writer.field("stringValue", value)
      writer.endObject()
      writer.endObject()
    }
    writer.endArray()
    writer.endObject()
    return writer.bytes
  }
}

extension GenericHTTPDestination {
  /// The alert's JSON, framed like the events.
  package func alert(_ alert: AlertRecord) -> [UInt8]? {
    framing == .ndjson ? alert.json + [UInt8(ascii: "\n")] : alert.json
  }
}

/// Alert severities on receivers' scales.
package enum AlertSeverityScale {
  /// ECS `event.severity`: a number, higher is worse.
  static func ecs(_ severity: Severity) -> Int {
    switch severity {
    case .info: 1
    case .low: 21
    case .medium: 47
    case .high: 73
    case .critical: 99
    }
  }

  /// Datadog's `status` and OTLP's severity text.
  static func syslogName(_ severity: Severity) -> String {
    switch severity {
    case .info: "info"
    case .low: "notice"
    case .medium: "warning"
    case .high: "error"
    case .critical: "critical"
    }
  }

  /// OTLP's SeverityNumber (INFO 9, INFO2 10, WARN 13, ERROR 17, FATAL 21).
  static func otlp(_ severity: Severity) -> Int {
    switch severity {
    case .info: 9
    case .low: 10
    case .medium: 13
    case .high: 17
    case .critical: 21
    }
  }

  /// Syslog severity (RFC 5424: 2 critical … 6 informational).
  package static func syslog(_ severity: Severity) -> Int {
    switch severity {
    case .info: 6
    case .low: 5
    case .medium: 4
    case .high: 3
    case .critical: 2
    }
  }
}
