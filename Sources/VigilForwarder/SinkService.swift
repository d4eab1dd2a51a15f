import Logging
import ServiceLifecycle
import VigilBase
import VigilCore
import VigilQuery
import VigilSinks

/// Delivers the store's log to one receiver: tails it by sequence from the sink's checkpoint
/// (consumer `sink:NAME`), keeps what the filter selects, batches by count, bytes and time, and sends
/// one batch at a time, in log order. A batch is resolved before the next is sent: what the receiver
/// took is delivered, what it refused for good is quarantined with its reason, and what failed for a
/// while is sent again after a capped exponential backoff (or the receiver's `Retry-After`). The
/// checkpoint then moves past the batch, so a restart repeats at most the batch in flight: delivery
/// is at least once, ordered, and a receiver that is down holds up only its own sink.
package struct SinkService: Service, LeaseFenced {
  package struct Settings: Sendable {
    /// Events read from the log per look.
    package var readSize = 2_000
    /// Seconds between looks at the log when it has nothing new.
    package var pollInterval: Double = 1
    package var backoff = Backoff(base: 1, cap: 300)
    /// Seconds between writes of the sink's state while it delivers.
    package var statusInterval: Double = 2

    package init() {}
  }

  package let name: String
  let connection: any SinkConnection
  let selection: SinkSelection
  let filter: MemoryFilter?
  let limits: Batcher.Limits
  let store: any (EventLog & CheckpointStore & SinkStore & AlertStore)
  let settings: Settings
  let clock: any VigilClock
  let logger: Logger
  /// The lease its checkpoint writes need when processes share the store (nil: this process alone).
  var fence: LeaseClaim?

  package init(
    name: String, connection: any SinkConnection, selection: SinkSelection = .everyEvent, batch: Batcher.Limits,
    store: any (EventLog & CheckpointStore & SinkStore & AlertStore), settings: Settings = Settings(),
    clock: any VigilClock, logger: Logger
  ) {
    self.name = name
    self.connection = connection
    self.selection = selection
    self.filter = selection.filter.map(MemoryFilter.init)
    self.limits = batch.capped(by: connection.limits)
    self.store = store
    self.settings = settings
    self.clock = clock
    var logger = logger
    logger[metadataKey: "sink"] = .string(name)
    self.logger = logger
  }

  var consumer: String { SinkStatus.consumer(name) }

  package func fenced(by claim: LeaseClaim) -> SinkService {
    var fenced = self
    fenced.fence = claim
    return fenced
  }

  package func run() async throws {
    do {
      try await tail()
    } catch {
      await connection.close()
      throw error
    }
    await connection.close()
  }

  private func tail() async throws {
    var state = DeliveryState(
      status: try await store.sinkStatuses().first { $0.name == name } ?? SinkStatus(name: name, updatedAt: clock.now))
    var position = try await store.checkpoint(consumer) ?? 0
    var saved = position
    var batcher = Batcher(limits: limits)
    logger.info("sink started", metadata: ["after": "\(position)"])
    while !Task.isCancelled, !Task.isShuttingDownGracefully {
      try await resendQuarantined(&state)
      let moreAlerts = selection.alerts ? try await forwardAlerts(&state) : false
      // Without a filter, a receiver that takes the raw event is fed from the raw log: no decoding.
      let raw = filter == nil && connection.readsRaw
      var read = 0
      if selection.events, raw {
        let page = try await store.rawEvents(after: position, limit: settings.readSize)
        let now = clock.now
        var rejected: [QuarantineEntry] = []
        for event in page {
          let choice = connection.rawRecord(event, now: now) ?? .reject("the sink cannot encode the raw event")
          let record = SinkRecord(
            sequence: event.sequence, account: event.account, stream: event.stream, uuid: event.uuid, time: event.time,
            bytes: [])
          if let entry = take(choice, record, into: &batcher, state: &state, now: now) { rejected.append(entry) }
        }
        if !rejected.isEmpty { try await quarantine(rejected) }
        read = page.count
        if let last = page.last { position = last.sequence }
      } else if selection.events {
        let page = try await store.events(after: position, limit: settings.readSize)
        let now = clock.now
        var rejected: [QuarantineEntry] = []
        for stored in page where filter?.matches(stored.event) ?? true {
          let event = stored.event
          let record = SinkRecord(
            sequence: stored.sequence, account: event.account, stream: event.stream, uuid: event.uuid, time: event.time,
            bytes: [])
          let choice = connection.record(stored, now: now)
          if let entry = take(choice, record, into: &batcher, state: &state, now: now) { rejected.append(entry) }
        }
        if !rejected.isEmpty { try await quarantine(rejected) }
        read = page.count
        if let last = page.last { position = last.sequence }
      } else {
        // A sink that takes no events follows the log, so that retention does not keep events for it.
        position = try await store.newestSequence()
      }
      while let batch = batcher.take(now: clock.now.epochSeconds) {
        guard try await deliver(batch, state: &state) else { break }
        saved = try await saveCheckpoint(batcher.firstPendingSequence.map { $0 - 1 } ?? position, saved: saved)
      }
      if batcher.count == 0 { saved = try await saveCheckpoint(position, saved: saved) }
      try await state.save(to: store, now: clock.now, every: settings.statusInterval)
      guard read < settings.readSize, !moreAlerts else { continue }
      let wait = min(settings.pollInterval, batcher.secondsUntilDue(now: clock.now.epochSeconds) ?? .infinity)
      do {
        try await cancelWhenGracefulShutdown { try await clock.sleep(seconds: wait) }
      } catch {
        break
      }
    }
    // Stopping: what is batched gets one try, so that a clean stop leaves nothing behind a healthy receiver.
    var flushing = true
    while flushing, let batch = batcher.take(now: clock.now.epochSeconds, force: true) {
      flushing = try await deliver(batch, state: &state, once: true)
      if flushing {
        saved = try await saveCheckpoint(batcher.firstPendingSequence.map { $0 - 1 } ?? position, saved: saved)
      }
    }
    try await state.save(to: store, now: clock.now, every: 0)
    logger.info("sink stopped", metadata: ["after": "\(saved)"])
  }

  /// Batches a record the connection encoded, or counts it skipped; a refused one comes back as its
  /// quarantine entry.
  private func take(
    _ choice: RecordChoice, _ record: SinkRecord, into batcher: inout Batcher, state: inout DeliveryState,
    now: Timestamp
  ) -> QuarantineEntry? {
    switch choice {
    case .send(let bytes):
      var record = record
      record.bytes = bytes
      batcher.add(record, now: now.epochSeconds)
    case .skip(let reason):
      if state.status.skipped == 0 {
        logger.warning("events left out by the sink's policy", metadata: ["reason": "\(reason)"])
      }
      state.skipped()
      SinkMetrics.events(name, "skipped", 1)
    case .reject(let reason):
      return entry(record, reason: reason, at: now)
    }
    return nil
  }

  /// Sends a batch until every record is delivered or quarantined. False when the sink is stopping (or
  /// `once` and a record is still to be retried): the batch then stays behind the checkpoint.
  private func deliver(
    _ batch: [SinkRecord], state: inout DeliveryState, once: Bool = false, alerts: Bool = false
  ) async throws -> Bool {
    var pending = batch
    var attempt = 0
    while true {
      let verdict = await connection.deliver(pending)
      let now = clock.now
      if verdict.wholeRequest, verdict.rejected.count == pending.count, pending.count > 1 {
        // Refused as a whole (one bad record, or too large): halves find the records refused on their own.
        SinkMetrics.split(name)
        let half = pending.count / 2
        guard try await deliver(Array(pending[..<half]), state: &state, once: once, alerts: alerts) else {
          return false
        }
        return try await deliver(Array(pending[half...]), state: &state, once: once, alerts: alerts)
      }
      if let notice = verdict.notice {
        logger.warning("the receiver dropped records it took", metadata: ["notice": "\(notice)"])
      }
      if !verdict.rejected.isEmpty {
        let refused = verdict.rejected.sorted { $0.key < $1.key }
        if alerts {
          // Not quarantined: the alert's next change is sent anyway, and `vigil alerts` has them all.
          SinkMetrics.events(name, "alerts_refused", refused.count)
          logger.error(
            "the receiver refused alerts for good",
            metadata: ["alerts": "\(refused.count)", "reason": "\(refused[0].value)"])
        } else {
          try await quarantine(refused.compactMap { index, reason in entry(pending[index], reason: reason, at: now) })
        }
      }
      let settled = Set(verdict.retry)
      let delivered = pending.indices.filter { !settled.contains($0) && verdict.rejected[$0] == nil }
      if alerts {
        SinkMetrics.events(name, "alerts_delivered", delivered.count)
      } else {
        state.delivered(delivered.map { pending[$0] }, at: now)
        SinkMetrics.events(name, "delivered", delivered.count)
      }
      if verdict.retry.isEmpty { return true }
      pending = verdict.retry.map { pending[$0] }
      SinkMetrics.failedDelivery(name)
      let reason = verdict.reason ?? "the receiver asked to send again"
      if !state.status.isFailing {
        logger.warning(
          "delivery failed; will retry", metadata: ["error": "\(reason)", "events": "\(pending.count)"])
      } else {
        logger.debug("delivery failed again", metadata: ["error": "\(reason)", "attempt": "\(attempt + 1)"])
      }
      state.failed(reason, at: now)
      try await state.save(to: store, now: now, every: 0)
      if once { return false }
      var generator = SystemRandomNumberGenerator()
      let wait =
        verdict.retryAfter.map { min($0, settings.backoff.cap) }
        ?? settings.backoff.delay(attempt: attempt, using: &generator)
      attempt += 1
      do {
        try await cancelWhenGracefulShutdown { try await clock.sleep(seconds: wait) }
      } catch {
        return false
      }
      if Task.isShuttingDownGracefully || Task.isCancelled { return false }
    }
  }

  /// Quarantined events marked by `vigil sinks retry`: each gets one try per look at the log.
  private func resendQuarantined(_ state: inout DeliveryState) async throws {
    let marked = try await store.retries(sink: name, limit: limits.events)
    guard !marked.isEmpty else { return }
    let gone = marked.filter { $0.event == nil }.map(\.entry.sequence)
    if !gone.isEmpty {
      logger.warning(
        "quarantined events were deleted by retention before they could be sent again",
        metadata: ["events": "\(gone.count)"])
      try await store.release(sink: name, sequences: gone)
    }
    let now = clock.now
    var records: [SinkRecord] = []
    var unsendable: [QuarantineEntry] = []
    var skipped: [Int64] = []
    for case let (_, stored?) in marked {
      switch connection.record(stored, now: now) {
      case .send(let bytes):
        let event = stored.event
        records.append(
          SinkRecord(
            sequence: stored.sequence, account: event.account, stream: event.stream, uuid: event.uuid,
            time: event.time, bytes: bytes))
      case .skip:
        // The sink's policy now leaves it out (Datadog's `old_events: skip` once it aged): as on first sight.
        skipped.append(stored.sequence)
        state.skipped()
      case .reject(let reason):
        // Still unsendable: back in the quarantine with today's reason, no longer marked.
        unsendable.append(entry(stored, reason: reason, at: now))
      }
    }
    if !skipped.isEmpty { try await store.release(sink: name, sequences: skipped) }
    if !unsendable.isEmpty { try await quarantine(unsendable) }
    guard !records.isEmpty else { return }
    let verdict = await connection.deliver(records)
    if !verdict.rejected.isEmpty {
      try await quarantine(
        verdict.rejected.compactMap { index, reason in entry(records[index], reason: reason, at: now) })
    }
    let retry = Set(verdict.retry)
    let delivered = records.indices.filter { !retry.contains($0) && verdict.rejected[$0] == nil }.map { records[$0] }
    try await store.release(sink: name, sequences: delivered.map(\.sequence))
    if !delivered.isEmpty {
      logger.notice("quarantined events sent again", metadata: ["events": "\(delivered.count)"])
      state.delivered(delivered, at: now)
    }
  }

  /// The alerts stream: every alert change after the sink's alert position, in revision order, in
  /// batches within the receiver's limits. The position moves past a batch once it is resolved. True
  /// when there may be more changes waiting.
  private func forwardAlerts(_ state: inout DeliveryState) async throws -> Bool {
    let changes = try await store.alertChanges(after: state.status.alertRevision, limit: limits.events)
    guard let newest = changes.last?.revision else { return false }
    let records = changes.compactMap { alert in
      connection.alert(alert).map {
        SinkRecord(
          sequence: alert.revision, account: alert.account, stream: nil, uuid: alert.id, time: alert.updatedAt,
          bytes: $0)
      }
    }
    var start = 0
    while start < records.count {
      var end = start
      var size = 0
      while end < records.count, end == start || size + records[end].bytes.count <= limits.bytes {
        size += records[end].bytes.count
        end += 1
      }
      guard try await deliver(Array(records[start..<end]), state: &state, alerts: true) else { return false }
      state.alertsSent(through: records[end - 1].sequence)
      try await state.save(to: store, now: clock.now, every: 0)
      start = end
    }
    state.alertsSent(through: newest)
    try await state.save(to: store, now: clock.now, every: 0)
    return changes.count == limits.events
  }

  private func quarantine(_ entries: [QuarantineEntry]) async throws {
    guard !entries.isEmpty else { return }
    try await store.quarantine(entries)
    SinkMetrics.events(name, "quarantined", entries.count)
    logger.error(
      "the receiver refused events for good; they are quarantined (`vigil sinks status`, `vigil sinks retry`)",
      metadata: ["events": "\(entries.count)", "reason": "\(entries[0].reason)"])
  }

  private func saveCheckpoint(_ sequence: Int64, saved: Int64) async throws -> Int64 {
    guard sequence > saved else { return saved }
    try await store.saveCheckpoint(consumer, sequence: sequence, at: clock.now, fence: fence)
    return sequence
  }

  private func entry(_ stored: StoredEvent, reason: String, at time: Timestamp) -> QuarantineEntry {
    QuarantineEntry(
      sink: name, sequence: stored.sequence, account: stored.event.account, stream: stored.event.stream,
      uuid: stored.event.uuid, reason: reason, at: time)
  }

  /// The quarantine entry of an event record (nil for an alert: alerts are not quarantined).
  private func entry(_ record: SinkRecord, reason: String, at time: Timestamp) -> QuarantineEntry? {
    record.stream.map { stream in
      QuarantineEntry(
        sink: name, sequence: record.sequence, account: record.account, stream: stream, uuid: record.uuid,
        reason: reason, at: time)
    }
  }
}

/// A sink's delivery state as it changes, written to the store at most every few seconds.
struct DeliveryState {
  var status: SinkStatus
  var dirty = false
  var lastSave: Double = -.infinity

  mutating func delivered(_ records: [SinkRecord], at time: Timestamp) {
    guard !records.isEmpty else { return }
    status.delivered += Int64(records.count)
    status.lastDeliveryAt = time
    if let newest = records.map(\.time).max(), status.newestDelivered.map({ newest > $0 }) ?? true {
      status.newestDelivered = newest
    }
    status.isFailing = false
    dirty = true
  }

  mutating func skipped() {
    status.skipped += 1
    dirty = true
  }

  /// The alerts stream is resolved through this revision.
  mutating func alertsSent(through revision: Int64) {
    guard revision > status.alertRevision else { return }
    status.alertRevision = revision
    status.isFailing = false
    dirty = true
  }

  mutating func failed(_ reason: String, at time: Timestamp) {
    status.lastError = reason
    status.lastErrorAt = time
    status.isFailing = true
    dirty = true
  }

  mutating func save(to store: any SinkStore, now: Timestamp, every interval: Double) async throws {
    guard dirty, now.epochSeconds - lastSave >= interval else { return }
    status.updatedAt = now
    try await store.recordSink(status)
    dirty = false
    lastSave = now.epochSeconds
  }
}
