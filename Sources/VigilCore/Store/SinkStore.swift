import VigilBase
import VigilEventsAPIModel

/// What sinks keep beside their checkpoints (``CheckpointStore``, consumer `sink:NAME`): the events a
/// receiver refused for good (quarantine) and each sink's delivery state, for `vigil sinks status`,
/// `vigil status` and the Health page.
package protocol SinkStore: Sendable {
  /// Holds events a sink's receiver refused for good, with its reason (replacing an older entry for the
  /// same sink and event).
  func quarantine(_ entries: [QuarantineEntry]) async throws(StoreError)

  /// A sink's quarantined events, oldest first.
  func quarantined(sink: String, limit: Int) async throws(StoreError) -> [QuarantineEntry]

  /// Quarantined events per sink.
  func quarantineCounts() async throws(StoreError) -> [String: Int]

  /// Marks every quarantined event of the sink to be sent again (`vigil sinks retry NAME`); returns how many.
  func requestRetry(sink: String) async throws(StoreError) -> Int

  /// Quarantined events marked for another try, with the stored events themselves, oldest first. Entries
  /// whose event retention has since deleted come back with `event` nil.
  func retries(sink: String, limit: Int) async throws(StoreError) -> [(entry: QuarantineEntry, event: StoredEvent?)]

  /// Takes events out of the quarantine (delivered on a retry, or gone).
  func release(sink: String, sequences: [Int64]) async throws(StoreError)

  /// Replaces a sink's delivery state.
  func recordSink(_ status: SinkStatus) async throws(StoreError)

  func sinkStatuses() async throws(StoreError) -> [SinkStatus]
}

/// One event a sink's receiver refused for good.
package struct QuarantineEntry: Hashable, Sendable {
  package var sink: String
  package var sequence: Int64
  package var account: String
  package var stream: EventStream
  package var uuid: String
  package var reason: String
  package var at: Timestamp
  /// `vigil sinks retry` asked for it to be sent again.
  package var retry = false

  package init(
    sink: String, sequence: Int64, account: String, stream: EventStream, uuid: String, reason: String, at: Timestamp
  ) {
    self.sink = sink
    self.sequence = sequence
    self.account = account
    self.stream = stream
    self.uuid = uuid
    self.reason = reason
    self.at = at
  }
}

/// How a sink's deliveries are going.
package struct SinkStatus: Hashable, Sendable {
  package var name: String
  package var delivered: Int64 = 0
  /// Events the sink's policy left out (Datadog's old events with `old_events: skip`).
  package var skipped: Int64 = 0
  package var lastDeliveryAt: Timestamp?
  /// The time of the newest event delivered.
  package var newestDelivered: Timestamp?
  package var lastErrorAt: Timestamp?
  package var lastError: String?
  /// The last attempt failed and nothing was delivered since.
  package var isFailing = false
  /// The newest alert change delivered (``AlertRecord/revision``), for sinks that take the alerts stream.
  package var alertRevision: Int64 = 0
  package var updatedAt: Timestamp

  package init(name: String, updatedAt: Timestamp) {
    self.name = name
    self.updatedAt = updatedAt
  }
}

extension SinkStatus {
  /// The checkpoint consumer name of a sink.
  package static func consumer(_ sink: String) -> String { "sink:\(sink)" }
}
