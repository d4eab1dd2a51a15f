import VigilBase
import VigilCore
import VigilFormats

/// A Sumo Logic hosted HTTP source: the URL is the credential (kept as a secret, never logged), the
/// body is one event per line, gzip-compressed, and `X-Sumo-Category`, `-Name` and `-Host` set the
/// source metadata Sumo's 1Password app searches on. Sumo asks for 100 KB to 1 MB per request.
package struct SumoLogicDestination: HTTPDestination {
  package var url: String
  package var category: String?
  package var name: String?
  package var host: String?
  package var format: ExportFormat
  package var limits = Batcher.Limits(events: 10_000, bytes: 1_000_000, seconds: 5)

  package init(
    url: String, category: String? = nil, name: String? = nil, host: String? = nil, format: ExportFormat = .raw
  ) {
    self.url = url
    self.category = category
    self.name = name
    self.host = host
    self.format = format
  }

  package func record(_ stored: StoredEvent, now: Timestamp) -> RecordChoice {
    var output: [UInt8] = []
    format.encoder.encode(stored.event, into: &output)
    return .send(output)
  }

  package var readsRaw: Bool { format == .raw }

  package func rawRecord(_ event: RawStoredEvent, now: Timestamp) -> RecordChoice? {
    format.line(raw: event.raw).map(RecordChoice.send)
  }

  package func request(_ batch: [SinkRecord], token _: String?) -> SinkRequest {
    var headers: [(String, String)] = [("Content-Type", "text/plain")]
    if let category { headers.append(("X-Sumo-Category", category)) }
    if let name { headers.append(("X-Sumo-Name", name)) }
    if let host { headers.append(("X-Sumo-Host", host)) }
    var body: [UInt8] = []
    body.reserveCapacity(batch.reduce(0) { $0 + $1.bytes.count })
    for record in batch { body += record.bytes }
    return SinkRequest(url: url, headers: headers, body: body, compress: true)
  }

  package func verdict(_ exchange: HTTPExchange, batch: [SinkRecord]) -> DeliveryVerdict {
    statusVerdict(exchange, count: batch.count)
  }
}
