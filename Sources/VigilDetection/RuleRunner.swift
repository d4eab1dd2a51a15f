import VigilCore
import VigilEventsAPIModel

/// One account's stream: the unit event time advances in.
package struct Partition: Hashable, Sendable, Codable {
  package var account: String
  package var stream: EventStream

  package init(account: String, stream: EventStream) {
    self.account = account
    self.stream = stream
  }
}

/// What a rule remembers between events: per-group histories, pending values, open alerts. A value,
/// so the detection service can persist it with its checkpoint.
struct RuleState: Sendable, Codable {
  var histories: [[String]: KeyHistory] = [:]
  /// `new_value`: selected events waiting for the watermark, per account, in event-time order.
  var pending: [String: PendingQueue] = [:]
  /// `new_value`: per group, when it was first seen and when each value was last seen.
  var known: [[String]: KnownValues] = [:]
  /// `absence`: newest ingest time per partition, and the ingest time last alerted on.
  var lastIngest: [Partition: Int64] = [:]
  var alertedGap: [Partition: Int64] = [:]
  var alerts: [AlertID: AlertAccumulator] = [:]
  /// Groups and events forgotten early because a cap was reached.
  var evicted = 0
}

struct PendingValue: Sendable, Codable {
  var ref: EventRef
  var group: [String]
  var value: String
}

/// Pending values in event-time order; taken from the front without shifting the rest each time.
struct PendingQueue: Sendable, Codable {
  private(set) var items: [PendingValue] = []
  private var head = 0

  var count: Int { items.count - head }
  var isEmpty: Bool { count == 0 }
  /// Event time of the oldest pending value.
  var oldest: Int64? { head < items.count ? items[head].ref.time : nil }

  /// Inserts in order; false when the event is already here.
  mutating func insert(_ value: PendingValue) -> Bool {
    if let last = items.last, head < items.count, last.ref < value.ref {
      items.append(value)
      return true
    }
    let index = items[head...].partitioningIndex { !($0.ref < value.ref) }
    if index < items.count, items[index].ref == value.ref { return false }
    items.insert(value, at: index)
    return true
  }

  /// Hands `body` the values up to `time`, oldest first, and removes them.
  mutating func take(through time: Int64, _ body: (PendingValue) -> Void) {
    let end = items[head...].partitioningIndex { $0.ref.time > time }
    for index in head..<end { body(items[index]) }
    head = end
    if head > 1_024, head * 2 > items.count {
      items.removeFirst(head)
      head = 0
    }
  }
}

struct KnownValues: Sendable, Codable {
  var firstSeen: Int64
  var lastSeen: [String: Int64] = [:]
}

/// Limits on what one rule remembers, so state stays bounded whatever the input.
package struct StateLimits: Sendable {
  /// Groups per rule; past it, the groups whose newest event is oldest are forgotten.
  package var groups = 100_000
  /// Events per group; past it, the oldest are forgotten.
  package var eventsPerGroup = 10_000
  /// Values per group (`new_value`).
  package var valuesPerGroup = 1_000

  package init() {}
}

/// A rule with its state: takes events, produces alert updates.
struct RuleRunner: Sendable {
  let rule: Rule
  var state = RuleState()
  /// Alerts changed since the engine last collected them.
  var changed: Set<AlertID> = []

  init(rule: Rule) { self.rule = rule }

  /// The suppression period of a trigger at `time`.
  func period(_ time: Int64) -> Int64 {
    let size = max(rule.suppression, 1)
    let (quotient, remainder) = time.quotientAndRemainder(dividingBy: size)
    return (remainder < 0 ? quotient - 1 : quotient) * size
  }

  /// Adds `evidence` to the alert of `group` for a trigger at `time`.
  mutating func record(group: [String], at time: Int64, evidence: some Sequence<EventRef>) {
    let id = AlertID(rule: rule.id, group: group, period: period(time))
    // Taken out while it changes, so its evidence set is not copied (copy-on-write).
    let existing = state.alerts.removeValue(forKey: id)
    var accumulator = existing ?? AlertAccumulator(id: id, rule: rule)
    var added = false
    for event in evidence where accumulator.add(event) { added = true }
    state.alerts[id] = accumulator
    if added || existing == nil { changed.insert(id) }
  }

  /// Takes one event. `late`: it is further behind its partition than the allowed lateness, so rules
  /// that depend on order ignore it (the engine counts it).
  mutating func observe(_ event: CanonicalEvent, ref: EventRef, late: Bool, watchlists: Watchlists, limits: StateLimits)
  {
    switch rule.kind {
    case .match:
      guard rule.selects(event, watchlists: watchlists), let group = Rule.groupKey(event, fields: rule.groupBy) else {
        return
      }
      record(group: group, at: ref.time, evidence: [ref])
    case .threshold(let count, let window):
      guard !late, rule.selects(event, watchlists: watchlists),
        let group = Rule.groupKey(event, fields: rule.groupBy)
      else { return }
      insertWindowed(HistoryEntry(ref: ref), group: group, limits: limits) { history, index in
        Self.windowCount(history, index, window: window) >= count
      } window: { history, index in
        Self.windowRange(history, index, window: window)
      } affected: { history, time in
        history.first(atOrAfter: time)..<history.first(atOrAfter: time &+ window)
      }
    case .distinct(let field, let count, let window):
      guard !late, rule.selects(event, watchlists: watchlists),
        let group = Rule.groupKey(event, fields: rule.groupBy), let value = field.value(event)?.keyText
      else { return }
      var entry = HistoryEntry(ref: ref)
      entry.value = value.lowercased()
      insertWindowed(entry, group: group, limits: limits) { history, index in
        Set(history.entries[Self.windowRange(history, index, window: window)].compactMap(\.value)).count >= count
      } window: { history, index in
        Self.windowRange(history, index, window: window)
      } affected: { history, time in
        history.first(atOrAfter: time)..<history.first(atOrAfter: time &+ window)
      }
    case .sequence(let steps, let window):
      guard !late else { return }
      observeSequence(event, ref: ref, steps: steps, window: window, watchlists: watchlists, limits: limits)
    case .geoVelocity(let velocity):
      guard !late, rule.selects(event, watchlists: watchlists) else { return }
      observeLocated(event, ref: ref, velocity: velocity, watchlists: watchlists, limits: limits)
    case .newValue(let fields, _, _):
      guard !late, rule.selects(event, watchlists: watchlists),
        let group = Rule.groupKey(event, fields: rule.groupBy)
      else { return }
      let values = fields.map { $0.value(event)?.keyText?.lowercased() }
      guard values.allSatisfy({ $0 != nil }) else { return }
      let pending = PendingValue(ref: ref, group: group, value: values.compactMap(\.self).joined(separator: "\u{1F}"))
      _ = state.pending[event.account, default: PendingQueue()].insert(pending)
    case .absence:
      guard rule.streams.contains(event.stream) else { return }
      let partition = Partition(account: event.account, stream: event.stream)
      let ingested = FieldValue.nanoseconds(event.ingestedAt)
      state.lastIngest[partition] = max(state.lastIngest[partition] ?? .min, ingested)
    }
  }

  /// Events of the window ending at `index`: event time in (t - window, t].
  static func windowRange(_ history: KeyHistory, _ index: Int, window: Int64) -> Range<Int> {
    let time = history.entries[index].ref.time
    return history.first(after: time &- window)..<history.first(after: time)
  }

  static func windowCount(_ history: KeyHistory, _ index: Int, window: Int64) -> Int {
    windowRange(history, index, window: window).count
  }

  /// Inserts an event into its group's history and re-judges every event whose window now holds it:
  /// conditions only ever become true as events are added, so any arrival order ends the same.
  mutating func insertWindowed(
    _ entry: HistoryEntry, group: [String], limits: StateLimits,
    holds: (KeyHistory, Int) -> Bool, window: (KeyHistory, Int) -> Range<Int>,
    affected: (KeyHistory, Int64) -> Range<Int>
  ) {
    var triggers: [(time: Int64, evidence: [EventRef])] = []
    // The history is changed in place (one hash lookup, no copy); alerts are recorded afterwards.
    let evicted = Self.insert(
      entry, into: &state.histories[group, default: KeyHistory()], limits: limits, holds: holds, window: window,
      affected: affected, triggers: &triggers)
    if evicted { state.evicted += 1 }
    for trigger in triggers { record(group: group, at: trigger.time, evidence: trigger.evidence) }
  }

  /// The work of ``insertWindowed``: returns whether the group's cap forgot events.
  private static func insert(
    _ entry: HistoryEntry, into history: inout KeyHistory, limits: StateLimits,
    holds: (KeyHistory, Int) -> Bool, window: (KeyHistory, Int) -> Range<Int>,
    affected: (KeyHistory, Int64) -> Range<Int>, triggers: inout [(time: Int64, evidence: [EventRef])]
  ) -> Bool {
    guard var inserted = history.insert(entry) else { return false }
    var evicted = false
    if history.entries.count > limits.eventsPerGroup {
      let excess = history.entries.count - limits.eventsPerGroup
      history.entries.removeFirst(excess)
      inserted -= excess
      evicted = true
      guard inserted >= 0 else { return true }
    }
    for index in affected(history, entry.ref.time) {
      let time = history.entries[index].ref.time
      if history.entries[index].triggered {
        // Evidence is exactly the trigger's window, whichever arrived first.
        if window(history, index).contains(inserted) { triggers.append((time, [entry.ref])) }
      } else if holds(history, index) {
        history.entries[index].triggered = true
        triggers.append((time, history.entries[window(history, index)].map(\.ref)))
      }
    }
    return evicted
  }
}
