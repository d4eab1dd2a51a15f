import VigilBase
import VigilEventsAPIModel

/// The store, seen through narrow roles. Every store (SQLite, PostgreSQL, in memory) implements them all;
/// each caller asks only for the roles it uses, and only the runtime names a concrete store.
///
/// Together they describe an append-only log of events with a sequence number, one row per
/// `(account, stream, uuid)`, each stream's cursor committed in the same transaction as the events it
/// led to, per-stream health, consumer checkpoints, retention and enrichment statuses.
package typealias EventStore = IngestStore & EventLog & CheckpointStore & MaintenanceStore & SourceStatusStore
  & AlertStore & NotificationOutbox & SinkStore & LeaseStore

/// Ingest: what the collector writes, and the collection state it resumes from.
package protocol IngestStore: Sendable {
  /// Appends the events not already stored and, in the same transaction, moves the stream's cursor
  /// (when the batch carries one) and its health. All or nothing.
  func commit(_ batch: IngestBatch) async throws(StoreError) -> CommitResult

  /// Records that a stream failed, and why (shown by `vigil status`).
  func recordError(_ key: StreamKey, message: String, at time: Timestamp) async throws(StoreError)

  func streamState(_ key: StreamKey) async throws(StoreError) -> StreamState?

  /// Every stream the store has heard of, ordered by account then stream.
  func streamStates() async throws(StoreError) -> [StreamState]

  /// Replaces the account's request budget as its collector sees it now.
  func recordRate(_ status: RateStatus) async throws(StoreError)

  /// Every account's last recorded request budget, by account.
  func rateStatuses() async throws(StoreError) -> [RateStatus]
}

/// The log: how detection and sinks tail what was stored, by sequence number.
package protocol EventLog: Sendable {
  /// Events with a sequence number above `sequence`, oldest first.
  func events(after sequence: Int64, limit: Int) async throws(StoreError) -> [StoredEvent]

  /// The same events with only their identity, time and raw JSON: what a sink that forwards the raw
  /// event needs, without normalizing each one again (most of the cost of ``events(after:limit:)``).
  func rawEvents(after sequence: Int64, limit: Int) async throws(StoreError) -> [RawStoredEvent]

  /// The highest sequence number handed out so far (0 when empty).
  func newestSequence() async throws(StoreError) -> Int64

  /// The uuids stored for one stream, in sequence order (verification and tests).
  func uuids(_ key: StreamKey) async throws(StoreError) -> [String]

  /// How many events are stored for one stream, counted from the events themselves (`vigil migrate`
  /// verifies with it; ``StreamState/eventsStored`` is a running total kept beside them).
  func eventCount(_ key: StreamKey) async throws(StoreError) -> Int
}

/// Consumer checkpoints: the last sequence number a consumer (a rule engine, a sink) has fully processed.
package protocol CheckpointStore: Sendable {
  func checkpoint(_ consumer: String) async throws(StoreError) -> Int64?

  /// Moves `consumer`'s checkpoint; with a `fence`, only while that claim is its unit's live lease
  /// (else ``StoreError/leaseLost(unit:)`` and nothing changes).
  func saveCheckpoint(_ consumer: String, sequence: Int64, at time: Timestamp, fence: LeaseClaim?)
    async throws(StoreError)

  /// Every consumer's checkpoint, by name (`vigil migrate`).
  func checkpoints() async throws(StoreError) -> [String: Int64]
}

extension CheckpointStore {
  /// Moves `consumer`'s checkpoint, unfenced (one process, or a copy such as `vigil migrate`).
  package func saveCheckpoint(_ consumer: String, sequence: Int64, at time: Timestamp) async throws(StoreError) {
    try await saveCheckpoint(consumer, sequence: sequence, at: time, fence: nil)
  }
}

/// Maintenance: retention, and the two primitives a rescan (``Rescan``) is built from.
package protocol MaintenanceStore: Sendable {
  /// Deletes events older than the policy allows. Events a consumer has not processed yet are kept,
  /// and reported, unless `force` is set (then their loss is reported instead).
  func applyRetention(_ policy: RetentionPolicy, now: Timestamp, force: Bool) async throws(StoreError)
    -> RetentionReport

  /// Up to `limit` stored events that happened at or after `since`, with a sequence number above
  /// `sequence`, in sequence order, as stored (with their enrichment).
  func scan(since: Timestamp, after sequence: Int64, limit: Int) async throws(StoreError) -> [StoredEvent]

  /// Replaces the enrichment-derived fields (``FieldCatalog/restoredFields``) of stored events, and
  /// keeps the rollups exact, in one transaction.
  func updateEnrichment(_ changes: [EnrichmentChange]) async throws(StoreError)
}

/// Enrichment source statuses, for `vigil status` and the Health page.
package protocol SourceStatusStore: Sendable {
  /// Records how the enrichment sources last loaded, replacing what was recorded before.
  func recordSources(_ statuses: [SourceStatus]) async throws(StoreError)

  /// The enrichment sources as last recorded, by name.
  func sourceStatuses() async throws(StoreError) -> [SourceStatus]
}

/// One stored event whose enrichment a rescan changed.
package struct EnrichmentChange: Sendable {
  package var sequence: Int64
  package var old: CanonicalEvent
  package var new: CanonicalEvent

  package init(sequence: Int64, old: CanonicalEvent, new: CanonicalEvent) {
    self.sequence = sequence
    self.old = old
    self.new = new
  }
}

/// What `vigil intel rescan` did.
package struct RescanReport: Hashable, Sendable {
  package var scanned: Int
  package var changed: Int
  /// Events that now have a threat match and had none before.
  package var newThreatMatches: Int

  package init(scanned: Int = 0, changed: Int = 0, newThreatMatches: Int = 0) {
    self.scanned = scanned
    self.changed = changed
    self.newThreatMatches = newThreatMatches
  }
}

/// One account's stream: the unit of collection, cursors and health.
package struct StreamKey: Hashable, Sendable, Comparable, CustomStringConvertible {
  package var account: String
  package var stream: EventStream

  package init(account: String, stream: EventStream) {
    self.account = account
    self.stream = stream
  }

  package static func < (lhs: StreamKey, rhs: StreamKey) -> Bool {
    (lhs.account, lhs.stream.rawValue) < (rhs.account, rhs.stream.rawValue)
  }

  package var description: String { "\(account)/\(stream.rawValue)" }
}

/// What one page of collection commits.
package struct IngestBatch: Sendable {
  package var key: StreamKey
  package var events: [CanonicalEvent]
  /// The cursor to resume from after these events; nil leaves the stored cursor alone (backfills).
  package var cursor: String?
  /// The API had nothing more for now.
  package var caughtUp: Bool
  package var at: Timestamp
  /// Items the API sent that could not be kept (not objects, no uuid): counted, never silent.
  package var malformed: Int
  /// The lease the collector holds on this stream, when collectors share the work: the commit fails
  /// with ``StoreError/leaseLost(unit:)`` unless the claim is still the stream's live lease.
  package var claim: LeaseClaim?

  package init(
    key: StreamKey, events: [CanonicalEvent], cursor: String?, caughtUp: Bool, at: Timestamp, malformed: Int = 0
  ) {
    self.key = key
    self.events = events
    self.cursor = cursor
    self.caughtUp = caughtUp
    self.at = at
    self.malformed = malformed
  }
}

extension IngestBatch {
  /// Appends the next page of the same stream: its events, and its cursor, time and caught-up state,
  /// which supersede this batch's. Committing the result equals committing both in order.
  package mutating func absorb(_ next: IngestBatch) {
    events += next.events
    if let cursor = next.cursor { self.cursor = cursor }
    caughtUp = next.caughtUp
    at = next.at
    malformed += next.malformed
    claim = next.claim ?? claim
  }
}

package struct CommitResult: Hashable, Sendable {
  package var inserted: Int
  /// Events already stored (reset overlaps, backfills, repeated pages): absorbed, not stored twice.
  package var duplicates: Int

  package init(inserted: Int, duplicates: Int) {
    self.inserted = inserted
    self.duplicates = duplicates
  }
}

/// A stored event with its position in the log.
package struct StoredEvent: Hashable, Sendable {
  package var sequence: Int64
  package var event: CanonicalEvent

  package init(sequence: Int64, event: CanonicalEvent) {
    self.sequence = sequence
    self.event = event
  }
}

/// A stored event as ``EventLog/rawEvents(after:limit:)`` reads it: its place in the log, identity,
/// time and the item's JSON exactly as the API sent it.
package struct RawStoredEvent: Hashable, Sendable {
  package var sequence: Int64
  package var account: String
  package var stream: EventStream
  package var uuid: String
  package var time: Timestamp
  package var ingestedAt: Timestamp
  package var raw: [UInt8]

  package init(
    sequence: Int64, account: String, stream: EventStream, uuid: String, time: Timestamp, ingestedAt: Timestamp,
    raw: [UInt8]
  ) {
    self.sequence = sequence
    self.account = account
    self.stream = stream
    self.uuid = uuid
    self.time = time
    self.ingestedAt = ingestedAt
    self.raw = raw
  }

  /// The raw view of a decoded event.
  package init(_ stored: StoredEvent) {
    let event = stored.event
    self.init(
      sequence: stored.sequence, account: event.account, stream: event.stream, uuid: event.uuid, time: event.time,
      ingestedAt: event.ingestedAt, raw: event.raw)
  }
}

/// Collection state and health of one stream, as `vigil status` shows it.
package struct StreamState: Hashable, Sendable {
  package var key: StreamKey
  package var cursor: String?
  package var cursorUpdatedAt: Timestamp?
  package var newestEventTime: Timestamp?
  package var eventsStored: Int64 = 0
  package var duplicates: Int64 = 0
  package var malformed: Int64 = 0
  package var lastSuccessAt: Timestamp?
  /// The last time the API said there was nothing more.
  package var caughtUpAt: Timestamp?
  package var lastErrorAt: Timestamp?
  package var lastError: String?
  /// The last attempt failed (an error was recorded and no page has committed since).
  package var isFailing = false

  package init(key: StreamKey) { self.key = key }
}
