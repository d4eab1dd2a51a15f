import VigilBase
import VigilEventsAPIModel

/// Groups encoded records into batches bounded by count and bytes, and says when a partial batch has
/// waited long enough. Pure: the caller supplies the time, so tests need no clock.
package struct Batcher: Sendable {
  package struct Limits: Hashable, Sendable {
    package var events: Int
    package var bytes: Int
    /// Seconds a partial batch may wait for more records.
    package var seconds: Double

    package init(events: Int, bytes: Int, seconds: Double) {
      self.events = max(1, events)
      self.bytes = max(1, bytes)
      self.seconds = max(0, seconds)
    }

    /// The tighter of two limits (the user's and the receiver's).
    package func capped(by other: Limits) -> Limits {
      Limits(events: min(events, other.events), bytes: min(bytes, other.bytes), seconds: min(seconds, other.seconds))
    }
  }

  package let limits: Limits
  private var ready: [[SinkRecord]] = []
  private var open: [SinkRecord] = []
  private var openBytes = 0
  private var openedAt: Double?

  package init(limits: Limits) { self.limits = limits }

  /// Adds a record at `now`; a record larger than the byte limit travels alone.
  package mutating func add(_ record: SinkRecord, now: Double) {
    if !open.isEmpty, open.count >= limits.events || openBytes + record.bytes.count > limits.bytes { seal() }
    if open.isEmpty { openedAt = now }
    open.append(record)
    openBytes += record.bytes.count
    if open.count >= limits.events || openBytes >= limits.bytes { seal() }
  }

  /// A full batch is waiting, or the open one has waited `limits.seconds`.
  package func isDue(now: Double) -> Bool {
    !ready.isEmpty || (openedAt.map { now - $0 >= limits.seconds } ?? false)
  }

  /// Seconds until the open batch is due (nil when nothing waits).
  package func secondsUntilDue(now: Double) -> Double? {
    if !ready.isEmpty { return 0 }
    return openedAt.map { max(0, limits.seconds - (now - $0)) }
  }

  /// The sequence of the oldest record held (nil when empty): a checkpoint must stay below it.
  package var firstPendingSequence: Int64? { ready.first?.first?.sequence ?? open.first?.sequence }

  /// Records held, sealed or not.
  package var count: Int { ready.reduce(open.count) { $0 + $1.count } }

  /// The next batch to send: the oldest sealed one, else the open one when `force` or due.
  package mutating func take(now: Double, force: Bool = false) -> [SinkRecord]? {
    if !ready.isEmpty { return ready.removeFirst() }
    guard !open.isEmpty, force || isDue(now: now) else { return nil }
    seal()
    return ready.removeFirst()
  }

  private mutating func seal() {
    guard !open.isEmpty else { return }
    ready.append(open)
    open = []
    openBytes = 0
    openedAt = nil
  }
}

/// One event as a sink sends it: its place in the log, what identifies it, and its encoded bytes.
package struct SinkRecord: Sendable, Hashable {
  package var sequence: Int64
  package var account: String
  /// Nil for an alert (the alerts stream).
  package var stream: EventStream?
  /// The event's uuid, or the alert's id.
  package var uuid: String
  package var time: Timestamp
  package var bytes: [UInt8]

  package init(sequence: Int64, account: String, stream: EventStream?, uuid: String, time: Timestamp, bytes: [UInt8]) {
    self.sequence = sequence
    self.account = account
    self.stream = stream
    self.uuid = uuid
    self.time = time
    self.bytes = bytes
  }
}
