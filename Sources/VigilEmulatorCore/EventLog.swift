import VigilBase
import VigilEventsAPIModel

/// One account's stream in cursor order (insertion time, then uuid). Only events inserted by "now"
/// are visible, so late events appear behind cursors that have already moved past their timestamps.
package struct EventLog: Sendable {
  package private(set) var events: [EmulatedEvent] = []
  /// Positions held, so that regenerating a day adds nothing twice. Keyed by position rather than uuid:
  /// a replayed file may repeat an event (the real API delivers at least once), and both copies are served.
  private var positions: Set<OrderKey> = []

  package init() {}

  /// Adds events (one already held at the same position is ignored) and restores cursor order.
  package mutating func insert(_ newEvents: [EmulatedEvent]) {
    var added = false
    for event in newEvents where positions.insert(event.orderKey).inserted {
      events.append(event)
      added = true
    }
    if added { events.sort { $0.orderKey < $1.orderKey } }
  }

  /// Index of the first event after `key` in cursor order.
  func firstIndex(after key: OrderKey?) -> Int {
    guard let key else { return 0 }
    var low = 0
    var high = events.count
    while low < high {
      let middle = (low + high) / 2
      if events[middle].orderKey <= key { low = middle + 1 } else { high = middle }
    }
    return low
  }

  package struct Page {
    package var items: [EmulatedEvent]
    /// Position of the last item returned (or the position the cursor already had).
    package var last: OrderKey?
    package var hasMore: Bool
  }

  /// Up to `limit` visible events after `key` whose timestamp lies in `[start, end]` and within
  /// retention.
  package func page(after key: OrderKey?, now: Timestamp, start: Timestamp, end: Timestamp?, limit: Int) -> Page {
    var index = firstIndex(after: key)
    var items: [EmulatedEvent] = []
    var last = key
    while index < events.count {
      let event = events[index]
      guard event.insertedAt <= now else { break }
      if event.timestamp >= start, end.map({ event.timestamp <= $0 }) ?? true {
        if items.count == limit { return Page(items: items, last: last, hasMore: true) }
        items.append(event)
      }
      last = event.orderKey
      index += 1
    }
    return Page(items: items, last: last, hasMore: false)
  }

  /// Every event visible at `now` (the ground truth a complete pull must match).
  package func visible(at now: Timestamp, retentionStart: Timestamp) -> [EmulatedEvent] {
    events.prefix { $0.insertedAt <= now }.filter { $0.timestamp >= retentionStart }
  }
}
