import VigilBase
import VigilCore
import VigilSinks

/// One sink's way to its receiver: how it encodes an event and how it delivers a batch. HTTP receivers,
/// syslog and files each implement it; ``SinkService`` drives them all the same way.
package protocol SinkConnection: Sendable {
  /// The receiver's own maximums per batch.
  var limits: Batcher.Limits { get }
  func record(_ event: StoredEvent, now: Timestamp) -> RecordChoice
  /// Whether ``rawRecord(_:now:)`` answers, so the sink can read the log without decoding it.
  var readsRaw: Bool { get }
  /// The same record from the raw event alone; nil when the receiver needs the decoded event.
  func rawRecord(_ event: RawStoredEvent, now: Timestamp) -> RecordChoice?
  /// Encodes one alert change; nil when the receiver has no place for alerts.
  func alert(_ alert: AlertRecord) -> [UInt8]?
  /// Sends one batch and says what became of each record. Never throws: a failure to reach the
  /// receiver is a verdict to retry.
  func deliver(_ batch: [SinkRecord]) async -> DeliveryVerdict
  /// Closes connections cleanly (syslog over TLS sends close_notify and waits for the server's).
  func close() async
}

extension SinkConnection {
  package var readsRaw: Bool { false }
  package func rawRecord(_ event: RawStoredEvent, now: Timestamp) -> RecordChoice? { nil }
}
