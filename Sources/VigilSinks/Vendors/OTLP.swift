import VigilBase
import VigilCore
import VigilJSON

/// OpenTelemetry logs over OTLP/HTTP with the JSON encoding (`POST {endpoint}/v1/logs`), for any
/// OpenTelemetry collector. Each event is one log record: its time, a severity (failures WARN, the
/// rest INFO), the raw event as the body, and every catalog field it has as an attribute under the
/// catalog's name. As the OTLP JSON mapping requires, 64-bit integers are strings.
///
/// Per the OTLP specification only 429, 502, 503 and 504 are retried; a `partialSuccess` answer
/// is final (the collector already dropped what it rejected) and is logged.
package struct OTLPDestination: HTTPDestination {
  package var endpoint: String
  package var headers: [(String, String)]
  package var serviceName: String
  package var compress: Bool
  package var limits = Batcher.Limits(events: 2_000, bytes: 4 << 20, seconds: 5)

  package init(endpoint: String, headers: [(String, String)] = [], serviceName: String = "vigil", compress: Bool = true)
  {
    self.endpoint = endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint
    self.headers = headers
    self.serviceName = serviceName
    self.compress = compress
  }

  package func record(_ stored: StoredEvent, now: Timestamp) -> RecordChoice {
    let event = stored.event
    var writer = JSONWriter(capacity: event.raw.count * 3)
    writer.beginObject()
    writer.field("timeUnixNano", String(FieldValue.nanoseconds(event.time)))
    writer.field("observedTimeUnixNano", String(FieldValue.nanoseconds(event.ingestedAt)))
    let warn = event.outcome == .failure || event.enrichment.threat != nil
    writer.field("severityNumber", warn ? 13 : 9)
    writer.field("severityText", warn ? "WARN" : "INFO")
    writer.key("body")
    writer.beginObject()
    writer.field("stringValue", String(decoding: event.raw, as: UTF8.self))
    writer.endObject()
    writer.key("attributes")
    writer.beginArray()
    for field in FieldCatalog.fields {
      guard let value = field.value(event) else { continue }
      writer.beginObject()
      writer.field("key", field.name)
      writer.key("value")
      writer.beginObject()
      switch value {
      case .string(let text): writer.field("stringValue", text)
      case .integer(let number): writer.field("intValue", String(number))
      case .double(let number): writer.field("doubleValue", number)
      case .time(let time): writer.field("stringValue", time.rfc3339)
      }
      writer.endObject()
      writer.endObject()
    }
    writer.endArray()
    writer.endObject()
    return .send(writer.bytes)
  }

  package func request(_ batch: [SinkRecord], token _: String?) -> SinkRequest {
    var head = JSONWriter(capacity: 256)
    head.beginObject()
    head.key("resourceLogs")
    head.beginArray()
    head.beginObject()
    head.key("resource")
    head.beginObject()
    head.key("attributes")
    head.beginArray()
    head.beginObject()
    head.field("key", "service.name")
    head.key("value")
    head.beginObject()
    head.field("stringValue", serviceName)
    head.endObject()
    head.endObject()
    head.endArray()
    head.endObject()
    head.key("scopeLogs")
    head.beginArray()
    head.beginObject()
    head.key("scope")
    head.beginObject()
    head.field("name", "vigil")
    head.endObject()
    head.key("logRecords")
    var body = head.bytes + [UInt8(ascii: "[")]
    body.reserveCapacity(body.count + batch.reduce(16) { $0 + $1.bytes.count + 1 })
    for (index, record) in batch.enumerated() {
      if index > 0 { body.append(UInt8(ascii: ",")) }
      body += record.bytes
    }
    body += Array("]}]}]}".utf8)
    return SinkRequest(
      url: endpoint + "/v1/logs", headers: [("Content-Type", "application/json")] + headers, body: body,
      compress: compress)
  }

  package func verdict(_ exchange: HTTPExchange, batch: [SinkRecord]) -> DeliveryVerdict {
    switch exchange.status {
    case 200..<300:
      var verdict = DeliveryVerdict.delivered
      if let (count, message) = Self.partialRejection(exchange.body) {
        verdict.notice =
          "the collector dropped \(count) of \(batch.count) log records\(ReceiverReply.text(Array(message.utf8)))"
      }
      return verdict
    case 429, 502, 503, 504:
      return .retryAll(
        batch.count, reason: "HTTP \(exchange.status)\(ReceiverReply.text(exchange.body))",
        after: exchange.headers["retry-after"].flatMap(DeliveryVerdict.seconds))
    default: return .rejectAll(batch.count, reason: "HTTP \(exchange.status)\(ReceiverReply.text(exchange.body))")
    }
  }

  /// The collector's `partialSuccess`: how many records it rejected, and why (nil when none).
  package static func partialRejection(_ body: [UInt8]) -> (count: Int, message: String)? {
    guard let document = try? JSONDocument(bytes: body) else { return nil }
    for (key, value) in document.root.members where key == "partialSuccess" {
      var count = 0
      var message = ""
      for (inner, item) in value.members {
        if inner == "rejectedLogRecords" { count = item.int ?? item.string.flatMap { Int($0) } ?? 0 }
        if inner == "errorMessage" { message = item.string ?? "" }
      }
      return count > 0 ? (count, message) : nil
    }
    return nil
  }
}
