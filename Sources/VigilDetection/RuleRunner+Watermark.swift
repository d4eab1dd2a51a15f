import VigilCore
import VigilEventsAPIModel

extension RuleRunner {
  /// `new_value`: judges the account's pending events up to `watermark`, in event-time order. Whether
  /// a value is new depends on every earlier event, so these wait until no earlier event can arrive.
  mutating func advance(account: String, to watermark: Int64, limits: StateLimits) {
    guard case .newValue(_, let lookback, let learning) = rule.kind,
      let oldest = state.pending[account]?.oldest, oldest <= watermark,
      var queue = state.pending.removeValue(forKey: account)
    else { return }
    defer { if !queue.isEmpty { state.pending[account] = queue } }
    var news: [PendingValue] = []
    var evicted = 0
    let groupCap = limits.groups
    queue.take(through: watermark) { pending in
      let time = pending.ref.time
      guard state.known[pending.group] != nil else {
        // A group's first value is what it starts from, never new.
        if state.known.count >= groupCap { evictOldestGroup() }
        state.known[pending.group] = KnownValues(firstSeen: time, lastSeen: [pending.value: time])
        return
      }
      // Changed in place: no copy of the group's values.
      Self.see(
        pending, in: &state.known[pending.group, default: KnownValues(firstSeen: time)], lookback: lookback,
        learning: learning, limit: limits.valuesPerGroup, news: &news, evicted: &evicted)
    }
    state.evicted += evicted
    for pending in news { record(group: pending.group, at: pending.ref.time, evidence: [pending.ref]) }
  }

  /// One pending value against its group's known values: a new value past the learning period is
  /// added to `news`.
  private static func see(
    _ pending: PendingValue, in known: inout KnownValues, lookback: Int64, learning: Int64, limit: Int,
    news: inout [PendingValue], evicted: inout Int
  ) {
    let time = pending.ref.time
    let previous = known.lastSeen[pending.value]
    let isNew = previous.map { $0 < time &- lookback } ?? true
    if isNew, time &- known.firstSeen >= learning {
      news.append(pending)
    }
    known.lastSeen[pending.value] = max(previous ?? .min, time)
    if known.lastSeen.count > limit, let oldest = known.lastSeen.min(by: { $0.value < $1.value }) {
      known.lastSeen[oldest.key] = nil
      evicted += 1
    }
  }

  private mutating func evictOldestGroup() {
    guard let oldest = state.known.min(by: { $0.value.newest < $1.value.newest }) else { return }
    state.known[oldest.key] = nil
    state.evicted += 1
  }

  /// `absence`: an alert for each partition whose newest event was ingested longer than the window
  /// before `now` (once per silence).
  mutating func check(now: Int64) {
    guard case .absence(let window) = rule.kind else { return }
    for (partition, last) in state.lastIngest where now &- last > window && state.alertedGap[partition] != last {
      state.alertedGap[partition] = last
      let id = AlertID(rule: rule.id, group: [partition.account, partition.stream.rawValue], period: last)
      var accumulator = AlertAccumulator(id: id, rule: rule)
      accumulator.silence(from: last, to: now)
      state.alerts[id] = accumulator
      changed.insert(id)
    }
  }

  /// Forgets what no event within the allowed lateness can change any more: history older than the
  /// rule's span before `horizon`, known values past the look-back, alerts whose period is over.
  mutating func forget(before horizon: Int64, limits: StateLimits) {
    let span = rule.kind.span
    for (group, var history) in state.histories {
      _ = history.drop(before: horizon &- span)
      state.histories[group] = history.entries.isEmpty ? nil : history
    }
    if state.histories.count > limits.groups {
      let excess = state.histories.count - limits.groups
      for group in state.histories.sorted(by: { $0.value.newest < $1.value.newest }).prefix(excess).map(\.key) {
        state.histories[group] = nil
      }
      state.evicted += excess
    }
    if case .newValue(_, let lookback, _) = rule.kind {
      for (group, var known) in state.known {
        known.lastSeen = known.lastSeen.filter { $0.value >= horizon &- lookback }
        state.known[group] = known
      }
    }
    let suppression = max(rule.suppression, 1)
    for (id, _) in state.alerts where id.period &+ suppression &+ span < horizon && !changed.contains(id) {
      state.alerts[id] = nil
    }
  }
}

extension KnownValues {
  var newest: Int64 { lastSeen.values.max() ?? firstSeen }
}

extension AlertAccumulator {
  /// An absence alert: no evidence events, the silence as its time span.
  mutating func silence(from start: Int64, to end: Int64) {
    setSpan(first: start, last: end)
  }
}
