import VigilCore

extension RuleRunner {
  /// Sequence rules: the event joins the history of every group its matching steps name, marked with
  /// those steps; each event of the last step is judged on the steps before it within the window.
  mutating func observeSequence(
    _ event: CanonicalEvent, ref: EventRef, steps: [SequenceStep], window: Int64, watchlists: Watchlists,
    limits: StateLimits
  ) {
    // Most events match no step: nothing is allocated for them.
    var groups: [(group: [String], mask: UInt64)] = []
    for (index, step) in steps.enumerated() where step.selects(event, watchlists: watchlists) {
      guard let group = Rule.groupKey(event, fields: step.groupBy ?? rule.groupBy) else { continue }
      if let found = groups.firstIndex(where: { $0.group == group }) {
        groups[found].mask |= 1 << UInt64(index)
      } else {
        groups.append((group, 1 << UInt64(index)))
      }
    }
    guard !groups.isEmpty else { return }
    let last = UInt64(1) << UInt64(steps.count - 1)
    let needs = steps.map(\.count)
    for (group, mask) in groups {
      var entry = HistoryEntry(ref: ref)
      entry.steps = mask
      insertWindowed(entry, group: group, limits: limits) { history, index in
        history.entries[index].steps & last != 0
          && Self.stepsComplete(history, before: index, window: window, needs: needs)
      } window: { history, index in
        let time = history.entries[index].ref.time
        return history.first(atOrAfter: time &- window)..<(index + 1)
      } affected: { history, time in
        history.first(atOrAfter: time)..<history.first(after: time &+ window)
      }
    }
  }

  /// Whether the events before `index` within the window complete every step but the last, in order.
  /// Taking the earliest events for each step is optimal, so a greedy pass decides.
  static func stepsComplete(_ history: KeyHistory, before index: Int, window: Int64, needs: [Int]) -> Bool {
    let required = needs.count - 1
    guard required > 0 else { return true }
    let start = history.first(atOrAfter: history.entries[index].ref.time &- window)
    var step = 0
    var seen = 0
    for position in start..<index where history.entries[position].steps & (1 << UInt64(step)) != 0 {
      seen += 1
      if seen == needs[step] {
        step += 1
        seen = 0
        if step == required { return true }
      }
    }
    return false
  }
}
