import VigilQuery

/// What a sink's filter selects: which events, and whether the alerts stream. `stream:alerts` names the
/// alerts stream; it selects alerts as the whole filter or as one alternative of a top-level OR
/// (`stream:alerts OR outcome:failure`), and the rest of the filter selects events. Without it a sink
/// sends events only.
package struct SinkSelection: Sendable, Hashable {
  /// The events to send: nil with `events` true means every event.
  package var filter: Filter?
  package var events: Bool
  package var alerts: Bool

  package static let alertsStream = "alerts"

  /// Every event, no alerts: a sink without a filter.
  package static let everyEvent = SinkSelection(filter: nil, events: true, alerts: false)

  package init(filter: Filter?, events: Bool, alerts: Bool) {
    self.filter = filter
    self.events = events
    self.alerts = alerts
  }

  /// The selection a parsed filter makes; an error when `stream:alerts` is used where it cannot select
  /// a whole stream (under AND or NOT).
  package static func of(_ filter: Filter?) throws(SelectionError) -> SinkSelection {
    guard let filter else { return .everyEvent }
    if isAlertsTerm(filter) { return SinkSelection(filter: nil, events: false, alerts: true) }
    if case .or(let parts) = filter, parts.contains(where: isAlertsTerm) {
      let rest = parts.filter { !isAlertsTerm($0) }
      guard !rest.contains(where: mentionsAlerts) else { throw SelectionError() }
      return SinkSelection(filter: rest.count == 1 ? rest[0] : .or(rest), events: !rest.isEmpty, alerts: true)
    }
    guard !mentionsAlerts(filter) else { throw SelectionError() }
    return SinkSelection(filter: filter, events: true, alerts: false)
  }

  static func isAlertsTerm(_ filter: Filter) -> Bool {
    if case .term(.field("event.stream"), .equals(.string(let value))) = filter {
      return value.lowercased() == alertsStream
    }
    return false
  }

  static func mentionsAlerts(_ filter: Filter) -> Bool {
    switch filter {
    case .all, .text: false
    case .term: isAlertsTerm(filter)
    case .not(let inner): mentionsAlerts(inner)
    case .and(let parts), .or(let parts): parts.contains(where: mentionsAlerts)
    }
  }
}

/// `stream:alerts` under AND or NOT.
package struct SelectionError: Error, CustomStringConvertible {
  package init() {}

  package var description: String {
    "stream:alerts selects the alerts stream as the whole filter or as an alternative of a top-level OR "
      + "(`stream:alerts OR outcome:failure`), not under AND or NOT"
  }
}
