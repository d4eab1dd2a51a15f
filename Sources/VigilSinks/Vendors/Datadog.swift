import VigilBase
import VigilCore
import VigilEventsAPIModel
import VigilJSON

/// Datadog's Logs intake v2 (`/api/v2/logs`): a JSON array of at most 1,000 logs and 5 MB
/// uncompressed, each log at most 1 MB, gzip accepted. Each log carries the event's own keys at top
/// level (so its `timestamp` is the log's date), `ddsource: 1password`, the service, host and tags.
///
/// Datadog indexes a log only if its date is at most 18 hours old. Older events (a backfill, a sink
/// catching up after a long outage) follow ``OldEvents``.
package struct DatadogDestination: HTTPDestination {
  /// Datadog's sites, by the names Datadog gives them.
  package static let sites: [String: String] = [
    "US1": "https://http-intake.logs.datadoghq.com",
    "US3": "https://http-intake.logs.us3.datadoghq.com",
    "US5": "https://http-intake.logs.us5.datadoghq.com",
    "EU": "https://http-intake.logs.datadoghq.eu",
    "AP1": "https://http-intake.logs.ap1.datadoghq.com",
    "US1-FED": "https://http-intake.logs.ddog-gov.com",
  ]
  /// How far back Datadog accepts a log's own date.
  package static let maximumAge: Double = 18 * 3_600
  package static let maximumLogBytes = 1 << 20

  /// What happens to an event older than 18 hours.
  package enum OldEvents: String, Sendable, CaseIterable {
    /// Sent without its date, which moves to `event_timestamp`: Datadog dates it on arrival, and
    /// searches on the event's time use that attribute.
    case attribute
    /// Not sent; counted and logged.
    case skip
  }

  package var url: String
  package var apiKey: String
  package var service: String
  package var hostname: String?
  package var tags: [String]
  package var oldEvents: OldEvents
  package var limits = Batcher.Limits(events: 1_000, bytes: 5_000_000, seconds: 5)

  package init(
    url: String, apiKey: String, service: String = "1password", hostname: String? = nil, tags: [String] = [],
    oldEvents: OldEvents = .attribute
  ) {
    self.url = url.hasSuffix("/") ? String(url.dropLast()) : url
    self.apiKey = apiKey
    self.service = service
    self.hostname = hostname
    self.tags = tags
    self.oldEvents = oldEvents
  }

  package var readsRaw: Bool { true }

  package func record(_ stored: StoredEvent, now: Timestamp) -> RecordChoice {
    record(raw: RawStoredEvent(stored), now: now)
  }

  package func rawRecord(_ event: RawStoredEvent, now: Timestamp) -> RecordChoice? { record(raw: event, now: now) }

  func record(raw event: RawStoredEvent, now: Timestamp) -> RecordChoice {
    let old = now.epochSeconds - event.time.epochSeconds > Self.maximumAge
    if old, oldEvents == .skip { return .skip("older than Datadog's 18 hours") }
    var writer = JSONWriter(capacity: event.raw.count + 200)
    writer.beginObject()
    writer.field("ddsource", "1password")
    writer.field("service", service)
    writer.field("hostname", hostname)
    let streamTags = ["stream:\(event.stream.rawValue)", "account:\(Self.tagValue(event.account))"]
    writer.field("ddtags", (streamTags + tags).joined(separator: ","))
    if !RawMembers.write(
      event.raw, into: &writer, skipping: ["ddsource", "ddtags", "service", "hostname"],
      renamed: old ? ["timestamp": "event_timestamp"] : [:])
    {
      writer.field("message", String(decoding: event.raw, as: UTF8.self))
    }
    writer.endObject()
    guard writer.bytes.count <= Self.maximumLogBytes else {
      return .reject("the log is \(writer.bytes.count) bytes; Datadog takes at most 1 MB")
    }
    return .send(writer.bytes)
  }

  /// Tag values: lower case, no commas (which separate tags).
  static func tagValue(_ text: String) -> String {
    String(text.lowercased().map { $0 == "," || $0 == " " ? "_" : $0 })
  }

  package func request(_ batch: [SinkRecord], token _: String?) -> SinkRequest {
    var body: [UInt8] = [UInt8(ascii: "[")]
    body.reserveCapacity(batch.reduce(2) { $0 + $1.bytes.count + 1 })
    for (index, record) in batch.enumerated() {
      if index > 0 { body.append(UInt8(ascii: ",")) }
      body += record.bytes
    }
    body.append(UInt8(ascii: "]"))
    return SinkRequest(
      url: url + "/api/v2/logs", headers: [("DD-API-KEY", apiKey), ("Content-Type", "application/json")], body: body,
      compress: true)
  }

  package func verdict(_ exchange: HTTPExchange, batch: [SinkRecord]) -> DeliveryVerdict {
    statusVerdict(exchange, count: batch.count)
  }
}
