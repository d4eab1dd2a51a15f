import VigilBase
import VigilCore
import VigilEventsAPIModel
import VigilJSON

/// Splunk's HTTP Event Collector (`/services/collector/event`): one JSON object per event, the raw
/// event as `event`, with the sourcetypes 1Password's Splunk app reads
/// (`1password:insights:signin_attempts|item_usages|audit_events`) and `time` from the event.
package struct SplunkHECDestination: HTTPDestination {
  package var url: String
  package var token: String
  package var index: String?
  package var source: String
  package var host: String?
  package var compress: Bool
  /// Indexer acknowledgement: each request names this channel (a GUID).
  package var channel: String?
  package var limits = Batcher.Limits(events: 5_000, bytes: 800 << 10, seconds: 5)

  package init(
    url: String, token: String, index: String? = nil, source: String = "vigil", host: String? = nil,
    compress: Bool = true, channel: String? = nil
  ) {
    self.url = url.hasSuffix("/") ? String(url.dropLast()) : url
    self.token = token
    self.index = index
    self.source = source
    self.host = host
    self.compress = compress
    self.channel = channel
  }

  package static func sourcetype(_ stream: EventStream) -> String {
    switch stream {
    case .signInAttempts: "1password:insights:signin_attempts"
    case .itemUsages: "1password:insights:item_usages"
    case .auditEvents: "1password:insights:audit_events"
    }
  }

  package var readsRaw: Bool { true }

  package func record(_ stored: StoredEvent, now: Timestamp) -> RecordChoice { record(raw: RawStoredEvent(stored)) }

  package func rawRecord(_ event: RawStoredEvent, now: Timestamp) -> RecordChoice? { record(raw: event) }

  func record(raw event: RawStoredEvent) -> RecordChoice {
    var writer = JSONWriter(capacity: event.raw.count + 200)
    writer.beginObject()
    writer.key("time")
    // Seconds with milliseconds, as HEC documents `time`.
    writer.raw(Array(Self.epoch(event.time).utf8))
    writer.field("host", host)
    writer.field("source", source)
    writer.field("sourcetype", Self.sourcetype(event.stream))
    writer.field("index", index)
    writer.key("event")
    writer.raw(event.raw)
    writer.endObject()
    return .send(writer.bytes + [UInt8(ascii: "\n")])
  }

  static func epoch(_ time: Timestamp) -> String {
    let millis = String(Int(time.nanoseconds) / 1_000_000)
    return "\(time.seconds)." + String(repeating: "0", count: 3 - millis.count) + millis
  }

  package func request(_ batch: [SinkRecord], token _: String?) -> SinkRequest {
    var headers = [("Authorization", "Splunk \(token)"), ("Content-Type", "application/json")]
    if let channel { headers.append(("X-Splunk-Request-Channel", channel)) }
    var body: [UInt8] = []
    body.reserveCapacity(batch.reduce(0) { $0 + $1.bytes.count })
    for record in batch { body += record.bytes }
    return SinkRequest(url: url + "/services/collector/event", headers: headers, body: body, compress: compress)
  }

  /// The indexer-acknowledgement id in a success answer (`{"text":"Success","code":0,"ackId":7}`).
  package static func ackID(_ body: [UInt8]) -> Int? {
    guard let document = try? JSONDocument(bytes: body) else { return nil }
    return document.root.members.first { $0.0 == "ackId" }?.1.int
  }

  /// Asks whether the request answered with `id` is indexed yet.
  package func ackRequest(_ id: Int) -> SinkRequest? {
    guard let channel else { return nil }
    return SinkRequest(
      url: url + "/services/collector/ack",
      headers: [
        ("Authorization", "Splunk \(token)"), ("Content-Type", "application/json"),
        ("X-Splunk-Request-Channel", channel),
      ], body: Array(#"{"acks":[\#(id)]}"#.utf8))
  }

  /// Whether the ack answer (`{"acks":{"7":true}}`) says `id` is indexed.
  package static func acknowledged(_ id: Int, in body: [UInt8]) -> Bool {
    guard let document = try? JSONDocument(bytes: body),
      let acks = document.root.members.first(where: { $0.0 == "acks" })?.1
    else { return false }
    return acks.members.contains { $0.0 == String(id) && $0.1.bool == true }
  }

  /// HEC answers per request. A 400 naming `invalid-event-number` N means events before N were
  /// indexed, N was refused and the rest were not read: they are sent again.
  package func verdict(_ exchange: HTTPExchange, batch: [SinkRecord]) -> DeliveryVerdict {
    if exchange.status == 400, let document = try? JSONDocument(bytes: exchange.body) {
      var number: Int?
      var text = ""
      for (key, value) in document.root.members {
        if key == "invalid-event-number" { number = value.int }
        if key == "text" { text = value.string ?? "" }
      }
      if let number, number >= 0, number < batch.count {
        var verdict = DeliveryVerdict(reason: "HEC refused event \(number): \(text)")
        verdict.rejected[number] = "HTTP 400: \(text)"
        verdict.retry = Array((number + 1)..<batch.count)
        return verdict
      }
    }
    return statusVerdict(exchange, count: batch.count)
  }
}
