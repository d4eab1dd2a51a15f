import VigilBase
import VigilEventsAPIModel

/// The store contract kept in memory: for tests of the collector and, later, detection and sinks.
package actor InMemoryEventStore: IngestStore, EventLog, CheckpointStore, MaintenanceStore, SourceStatusStore,
  AlertStore, NotificationOutbox, SinkStore
{
  private var log: [StoredEvent] = []
  private var identities: Set<Identity> = []
  private var states: [StreamKey: StreamState] = [:]
  private var rates: [String: RateStatus] = [:]
  var consumerPositions: [String: Int64] = [:]
  private var lastSequence: Int64 = 0
  private var sources: [SourceStatus] = []
  var alertRecords: [String: AlertRecord] = [:]
  var detectorStates: [String: [UInt8]] = [:]
  var alertRevision: Int64 = 0
  var outbox: [OutboxEntry] = []
  var outboxNextID: Int64 = 0
  var outboxDetails: [Int64: OutboxDetail] = [:]
  var quarantineEntries: [String: [Int64: QuarantineEntry]] = [:]
  var sinkStates: [String: SinkStatus] = [:]
  var leaseTable: [String: Lease] = [:]
  var leaseEpoch: Int64 = 0
  var spans: [LeaseSpan] = []
  /// When set, every commit fails with this error (tests of failure paths).
  var failure: StoreError?

  private struct Identity: Hashable {
    var key: StreamKey
    var uuid: String
  }

  package init() {}

  package func failCommits(with error: StoreError?) { failure = error }

  package func commit(_ batch: IngestBatch) throws(StoreError) -> CommitResult {
    if let failure { throw failure }
    if let claim = batch.claim, !holds(claim) { throw .leaseLost(unit: claim.unit) }
    var state = states[batch.key] ?? StreamState(key: batch.key)
    var result = CommitResult(inserted: 0, duplicates: 0)
    for event in batch.events {
      guard identities.insert(Identity(key: batch.key, uuid: event.uuid)).inserted else {
        result.duplicates += 1
        continue
      }
      lastSequence += 1
      log.append(StoredEvent(sequence: lastSequence, event: event))
      result.inserted += 1
      if state.newestEventTime.map({ event.time > $0 }) ?? true { state.newestEventTime = event.time }
    }
    state.apply(batch, result: result)
    states[batch.key] = state
    return result
  }

  package func checkpoints() -> [String: Int64] { consumerPositions }

  package func recordError(_ key: StreamKey, message: String, at time: Timestamp) {
    var state = states[key] ?? StreamState(key: key)
    state.lastError = message
    state.lastErrorAt = time
    state.isFailing = true
    states[key] = state
  }

  package func streamStates() -> [StreamState] { states.values.sorted { $0.key < $1.key } }

  package func recordRate(_ status: RateStatus) { rates[status.account] = status }

  package func rateStatuses() -> [RateStatus] { rates.values.sorted { $0.account < $1.account } }

  package func streamState(_ key: StreamKey) -> StreamState? { states[key] }

  package func events(after sequence: Int64, limit: Int) -> [StoredEvent] {
    Array(log.lazy.filter { $0.sequence > sequence }.prefix(max(0, limit)))
  }

  package func rawEvents(after sequence: Int64, limit: Int) -> [RawStoredEvent] {
    events(after: sequence, limit: limit).map(RawStoredEvent.init)
  }

  package func newestSequence() -> Int64 { lastSequence }

  package func checkpoint(_ consumer: String) -> Int64? { consumerPositions[consumer] }

  package func saveCheckpoint(_ consumer: String, sequence: Int64, at time: Timestamp, fence: LeaseClaim?)
    throws(StoreError)
  {
    if let fence, !holds(fence) { throw .leaseLost(unit: fence.unit) }
    consumerPositions[consumer] = sequence
  }

  package func applyRetention(_ policy: RetentionPolicy, now: Timestamp, force: Bool) -> RetentionReport {
    let slowest = consumerPositions.min { $0.value < $1.value }
    var entries: [RetentionReport.Entry] = []
    for stream in EventStream.allCases {
      guard let cutoff = policy.cutoff(for: stream, now: now) else { continue }
      var deleted = 0
      var unprocessed = 0
      log.removeAll { stored in
        guard stored.event.stream == stream, stored.event.time < cutoff else { return false }
        let processed = slowest.map { stored.sequence <= $0.value } ?? true
        if !processed { unprocessed += 1 }
        guard processed || force else { return false }
        deleted += 1
        identities.remove(
          Identity(key: StreamKey(account: stored.event.account, stream: stream), uuid: stored.event.uuid))
        states[StreamKey(account: stored.event.account, stream: stream)]?.eventsStored -= 1
        return true
      }
      entries.append(.init(stream: stream, cutoff: cutoff, deleted: deleted, unprocessed: unprocessed, forced: force))
    }
    return RetentionReport(entries: entries, slowestConsumer: slowest?.key)
  }

  package func uuids(_ key: StreamKey) -> [String] {
    log.filter { $0.event.account == key.account && $0.event.stream == key.stream }.map(\.event.uuid)
  }

  package func eventCount(_ key: StreamKey) -> Int { uuids(key).count }

  package func recordSources(_ statuses: [SourceStatus]) { sources = statuses.sorted { $0.name < $1.name } }

  package func sourceStatuses() -> [SourceStatus] { sources }

  package func scan(since: Timestamp, after sequence: Int64, limit: Int) -> [StoredEvent] {
    Array(log.lazy.filter { $0.sequence > sequence && $0.event.time >= since }.prefix(max(0, limit)))
  }

  package func updateEnrichment(_ changes: [EnrichmentChange]) {
    let positions = Dictionary(log.indices.map { (log[$0].sequence, $0) }, uniquingKeysWith: { first, _ in first })
    for change in changes {
      guard let position = positions[change.sequence] else { continue }
      for field in FieldCatalog.restoredFields { field.restore?(&log[position].event, field.value(change.new)) }
    }
  }
}

extension StreamState {
  /// The bookkeeping every store does when a batch commits.
  package mutating func apply(_ batch: IngestBatch, result: CommitResult) {
    eventsStored += Int64(result.inserted)
    duplicates += Int64(result.duplicates)
    malformed += Int64(batch.malformed)
    lastSuccessAt = batch.at
    isFailing = false
    if let cursor = batch.cursor {
      if cursor != self.cursor { cursorUpdatedAt = batch.at }
      self.cursor = cursor
    }
    if batch.caughtUp { caughtUpAt = batch.at }
  }
}
