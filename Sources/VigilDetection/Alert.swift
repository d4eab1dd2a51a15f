import VigilCore

/// Which alert a trigger belongs to: the rule, the group, and the suppression period of the trigger's
/// event time. Aligned to the epoch, so the same events give the same alerts in any arrival order.
package struct AlertID: Hashable, Comparable, Sendable, Codable {
  package var rule: String
  /// The account, then the values of the rule's `group_by` fields.
  package var group: [String]
  /// Start of the suppression period, nanoseconds since the epoch.
  package var period: Int64

  package init(rule: String, group: [String], period: Int64) {
    self.rule = rule
    self.group = group
    self.period = period
  }

  package static func < (lhs: AlertID, rhs: AlertID) -> Bool {
    (lhs.rule, lhs.period, lhs.group.joined(separator: "\u{1F}"))
      < (rhs.rule, rhs.period, rhs.group.joined(separator: "\u{1F}"))
  }
}

/// An alert as detection sees it: what fired, for whom, when in event time, on which events. Updates of
/// one alert carry its whole current value, so a store applies them by ``AlertID`` idempotently.
package struct Alert: Hashable, Sendable, Codable {
  package var id: AlertID
  package var title: String
  package var severity: Severity
  /// The names of the group's values: `event.account`, then the rule's `group_by` fields.
  package var groupFields: [String]
  /// Earliest and latest evidence event time, nanoseconds.
  package var first: Int64
  package var last: Int64
  /// Distinct evidence events (it stops growing at ``AlertAccumulator/countLimit``).
  package var count: Int
  /// The earliest evidence events (at most ``AlertAccumulator/evidenceLimit``).
  package var evidence: [EventRef]
}

/// Gathers one alert's evidence. Only ever adds (a union), so the result does not depend on the order
/// evidence arrives in: the earliest events by (time, uuid) are kept, and all are counted.
package struct AlertAccumulator: Sendable, Codable {
  package static let evidenceLimit = 100
  package static let countLimit = 100_000

  package private(set) var alert: Alert
  private var seen: Set<String> = []

  package init(id: AlertID, rule: Rule) {
    alert = Alert(
      id: id, title: rule.title, severity: rule.severity,
      groupFields: ["event.account"] + rule.groupBy.map(\.name), first: .max, last: .min, count: 0, evidence: [])
  }

  /// Sets the time span directly (alerts without evidence events).
  package mutating func setSpan(first: Int64, last: Int64) {
    alert.first = first
    alert.last = last
  }

  /// Adds evidence; returns whether the alert changed.
  @discardableResult
  package mutating func add(_ event: EventRef) -> Bool {
    guard !seen.contains(event.uuid) else { return false }
    if seen.count < Self.countLimit {
      seen.insert(event.uuid)
      alert.count += 1
    }
    alert.first = min(alert.first, event.time)
    alert.last = max(alert.last, event.time)
    if alert.evidence.count < Self.evidenceLimit || event < (alert.evidence.last ?? event) {
      let index = alert.evidence.partitioningIndex { event < $0 }
      // Past the count limit an event is not remembered as seen, so it may come again.
      if index > 0, alert.evidence[index - 1] == event { return true }
      alert.evidence.insert(event, at: index)
      if alert.evidence.count > Self.evidenceLimit { alert.evidence.removeLast() }
    }
    return true
  }
}

extension RandomAccessCollection {
  /// The first index whose element satisfies `belongs` (the collection is partitioned: false, then true).
  package func partitioningIndex(where belongs: (Element) -> Bool) -> Index {
    var low = startIndex
    var high = endIndex
    while low < high {
      let middle = index(low, offsetBy: distance(from: low, to: high) / 2)
      if belongs(self[middle]) { high = middle } else { low = index(after: middle) }
    }
    return low
  }
}
