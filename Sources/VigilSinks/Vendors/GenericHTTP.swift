import VigilBase
import VigilCore
import VigilFormats

/// Anything else that takes JSON over HTTP (Vector, Cribl, Logstash, Fluent Bit): NDJSON or one JSON
/// array per request, in any JSON format, with the user's headers (auth among them).
package struct GenericHTTPDestination: HTTPDestination {
  package enum Framing: String, Sendable, CaseIterable {
    case ndjson
    case jsonArray = "json_array"
  }

  package var url: String
  package var format: ExportFormat
  package var framing: Framing
  package var headers: [(String, String)]
  package var compress: Bool
  package var limits = Batcher.Limits(events: 5_000, bytes: 5 << 20, seconds: 5)

  package init(
    url: String, format: ExportFormat = .ecs, framing: Framing = .ndjson, headers: [(String, String)] = [],
    compress: Bool = false
  ) {
    self.url = url
    self.format = format
    self.framing = framing
    self.headers = headers
    self.compress = compress
  }

  package func record(_ stored: StoredEvent, now: Timestamp) -> RecordChoice {
    var output: [UInt8] = []
    format.encoder.encode(stored.event, into: &output)
    if framing == .jsonArray, output.last == UInt8(ascii: "\n") { output.removeLast() }
    return .send(output)
  }

  package var readsRaw: Bool { format == .raw }

  package func rawRecord(_ event: RawStoredEvent, now: Timestamp) -> RecordChoice? {
    format.line(raw: event.raw).map { .send(framing == .jsonArray ? Array($0.dropLast()) : $0) }
  }

  package func request(_ batch: [SinkRecord], token _: String?) -> SinkRequest {
    var body: [UInt8] = framing == .jsonArray ? [UInt8(ascii: "[")] : []
    body.reserveCapacity(batch.reduce(2) { $0 + $1.bytes.count + 1 })
    for (index, record) in batch.enumerated() {
      if framing == .jsonArray, index > 0 { body.append(UInt8(ascii: ",")) }
      body += record.bytes
    }
    if framing == .jsonArray { body.append(UInt8(ascii: "]")) }
    let type = framing == .ndjson ? "application/x-ndjson" : "application/json"
    return SinkRequest(url: url, headers: [("Content-Type", type)] + headers, body: body, compress: compress)
  }

  package func verdict(_ exchange: HTTPExchange, batch: [SinkRecord]) -> DeliveryVerdict {
    statusVerdict(exchange, count: batch.count)
  }
}
