import Foundation
import VigilBase
import VigilCore
import VigilJSON

/// One HTTP request a sink sends: the forwarder adds compression (when `compress`) and sends it
/// through the shared transport.
package struct SinkRequest: Sendable {
  package var method = "POST"
  package var url: String
  package var headers: [(String, String)]
  package var body: [UInt8]
  /// Gzip the body and say so in `Content-Encoding` (the receiver takes it).
  package var compress: Bool

  package init(url: String, headers: [(String, String)], body: [UInt8], compress: Bool = false) {
    self.url = url
    self.headers = headers
    self.body = body
    self.compress = compress
  }
}

/// What a sink does with one event before batching.
package enum RecordChoice: Sendable, Hashable {
  case send([UInt8])
  /// Left out by the sink's policy (Datadog's `old_events: skip`), counted and logged.
  case skip(String)
  /// Cannot be sent to this receiver at all (larger than it takes): quarantined at once.
  case reject(String)
}

/// A receiver spoken to over HTTP: each vendor is one of these, pure (no I/O), so its requests and its
/// reading of answers are tested byte for byte. The forwarder owns batching, retries and transport.
package protocol HTTPDestination: Sendable {
  /// The most the receiver takes in one request (its documented limits).
  var limits: Batcher.Limits { get }
  /// Encodes one stored event as this receiver wants it.
  func record(_ event: StoredEvent, now: Timestamp) -> RecordChoice
  /// Whether ``rawRecord(_:now:)`` answers: the receiver takes the event as the API sent it, so the
  /// forwarder can read the log without decoding it.
  var readsRaw: Bool { get }
  /// The same record as ``record(_:now:)``, from the raw event alone; nil when the receiver needs the
  /// decoded event.
  func rawRecord(_ event: RawStoredEvent, now: Timestamp) -> RecordChoice?
  /// Encodes one alert change (the alerts stream); nil when the receiver has no place for alerts.
  func alert(_ alert: AlertRecord) -> [UInt8]?
  /// The request carrying a batch; `token` is a fetched bearer token (Sentinel), nil otherwise.
  func request(_ batch: [SinkRecord], token: String?) -> SinkRequest
  /// What the receiver's answer means for each record of the batch.
  func verdict(_ exchange: HTTPExchange, batch: [SinkRecord]) -> DeliveryVerdict
}

extension HTTPDestination {
  package func alert(_ alert: AlertRecord) -> [UInt8]? { nil }
  package var readsRaw: Bool { false }
  package func rawRecord(_ event: RawStoredEvent, now: Timestamp) -> RecordChoice? { nil }

  /// Receivers that answer for the whole request.
  package func statusVerdict(_ exchange: HTTPExchange, count: Int) -> DeliveryVerdict {
    DeliveryVerdict.of(
      status: exchange.status, count: count, retryAfter: exchange.headers["retry-after"],
      reply: ReceiverReply.text(exchange.body))
  }
}

/// The start of a receiver's answer for messages: printable, one line, bounded.
package enum ReceiverReply {
  package static func text(_ body: [UInt8], limit: Int = 200) -> String {
    let decoded = String(decoding: body.prefix(limit * 4), as: UTF8.self)
    var text = ""
    for scalar in decoded.unicodeScalars.prefix(limit) {
      text.unicodeScalars.append(scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) ? " " : scalar)
    }
    text = text.trimmingWhitespace
    return text.isEmpty ? "" : ": \(text)"
  }
}

/// Writing an event's raw JSON object as members of another object (Datadog and Sentinel take the
/// event's own keys at top level).
package enum RawMembers {
  /// Writes every member of the raw object except `skipping`, renaming per `renamed`. Returns false when
  /// the raw bytes are not an object (then nothing is written).
  @discardableResult
  package static func write(
    _ raw: [UInt8], into writer: inout JSONWriter, skipping: Set<String> = [], renamed: [String: String] = [:]
  ) -> Bool {
    guard let document = try? JSONDocument(bytes: raw), document.root.kind == .object else { return false }
    for (key, value) in document.root.members where !skipping.contains(key) {
      writer.key(renamed[key] ?? key)
      writer.raw(value.rawBytes)
    }
    return true
  }
}

/// `Authorization` values.
package enum HTTPAuthorization {
  package static func basic(user: String, password: String) -> String {
    "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
  }
}
