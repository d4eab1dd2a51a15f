import VigilCore
import VigilEventsAPIModel
import VigilQuery

/// A detection rule: which events it looks at, how it decides, how its alerts are grouped. Rules are
/// data (YAML, read by ``RuleReader``); this is their checked, compiled form.
package struct Rule: Sendable {
  package var id: String
  package var title: String
  package var description: String
  package var severity: Severity
  /// MITRE ATT&CK technique ids (`T1110.003`).
  package var techniques: [String]
  package var streams: [EventStream]
  /// The `where:` filter in the query language, as written ("" matches every event of the streams).
  package var filterText: String
  package var filter: MemoryFilter
  /// Watchlist and field-comparison conditions, all of which must hold.
  package var conditions: [RuleCondition]
  package var kind: RuleKind
  /// Fields whose values split the alerts (one user, one address); the account always does.
  package var groupBy: [Field]
  /// Triggers of the same group within one suppression period (aligned to the epoch) update one alert.
  package var suppression: Int64
  package var falsePositives: [String]
  package var references: [String]
  package var tuning: String?
  package var tests: [RuleTest]
  package var enabled: Bool
  /// The file the rule came from (for messages).
  package var source: String

  /// Whether the rule looks at `event` at all: its streams, its filter, its conditions.
  package func selects(_ event: CanonicalEvent, watchlists: Watchlists) -> Bool {
    streams.contains(event.stream) && filter.matches(event)
      && conditions.allSatisfy { $0.holds(for: event, watchlists: watchlists) }
  }

  /// The group key of `event`: the account, then the values of `fields` (nil when a value is absent:
  /// such an event is not grouped and does not count).
  package static func groupKey(_ event: CanonicalEvent, fields: [Field]) -> [String]? {
    var key = [event.account]
    for field in fields {
      guard let value = field.value(event).flatMap(\.keyText) else { return nil }
      key.append(value)
    }
    return key
  }
}

/// How a rule decides. Windows and periods are nanoseconds of event time.
package enum RuleKind: Sendable {
  /// Every selected event.
  case match
  /// At least `count` selected events of one group within `window`.
  case threshold(count: Int, window: Int64)
  /// At least `count` distinct values of `field` within `window`, by group (one address, many users).
  case distinct(field: Field, count: Int, window: Int64)
  /// A value of `fields` not seen for the group within `lookback`, once the group has been known for
  /// `learning` (a new country, device or app for a user).
  case newValue(fields: [Field], lookback: Int64, learning: Int64)
  /// Two located events of one group within `window` implying more than `maxSpeed` km/h.
  case geoVelocity(GeoVelocity)
  /// Steps in event-time order within `window`, by group.
  case sequence(steps: [SequenceStep], window: Int64)
  /// No events of a stream for an account within `window` of ingest time (pipeline health).
  case absence(window: Int64)

  package var name: String {
    switch self {
    case .match: "match"
    case .threshold: "threshold"
    case .distinct: "distinct"
    case .newValue: "new_value"
    case .geoVelocity: "geo_velocity"
    case .sequence: "sequence"
    case .absence: "absence"
    }
  }

  /// The longest stretch of event time one decision looks at.
  package var span: Int64 {
    switch self {
    case .match, .absence: 0
    case .threshold(_, let window), .distinct(_, _, let window), .sequence(_, let window): window
    case .newValue(_, let lookback, _): lookback
    case .geoVelocity(let velocity): velocity.window
    }
  }

  package static let names = ["match", "threshold", "distinct", "new_value", "geo_velocity", "sequence", "absence"]
}

package struct GeoVelocity: Sendable {
  /// Kilometres per hour above which travel between two sign-ins is impossible.
  package var maxSpeed: Double
  /// Pairs closer than this (km) never alert: geolocation of nearby addresses is imprecise.
  package var minDistance: Double
  /// How far apart in event time two events may be and still be compared.
  package var window: Int64
  /// Pairs from the same autonomous system are exempt (a mobile carrier's addresses jump cities).
  package var exemptSameASN: Bool
  /// Events from a known network (the `source.network` lookup, or a watchlist) are exempt.
  package var knownNetworks: String?
}

/// One step of a sequence rule.
package struct SequenceStep: Sendable {
  package var name: String
  package var streams: [EventStream]
  package var filterText: String
  package var filter: MemoryFilter
  package var conditions: [RuleCondition]
  /// How many events of this step must come before the next step starts.
  package var count: Int
  /// This step's fields for the rule's group key, when its events name them differently (an audit
  /// event's target user against an item usage's user).
  package var groupBy: [Field]?

  package func selects(_ event: CanonicalEvent, watchlists: Watchlists) -> Bool {
    streams.contains(event.stream) && filter.matches(event)
      && conditions.allSatisfy { $0.holds(for: event, watchlists: watchlists) }
  }
}

/// A condition beyond the query language: watchlist membership, or two fields of one event compared.
package enum RuleCondition: Sendable {
  case inList(Field, String)
  case notInList(Field, String)
  case sameAs(Field, Field)
  case differentFrom(Field, Field)

  package func holds(for event: CanonicalEvent, watchlists: Watchlists) -> Bool {
    switch self {
    case .inList(let field, let list):
      guard let value = field.value(event) else { return false }
      return watchlists.contains(value, in: list)
    case .notInList(let field, let list):
      guard let value = field.value(event) else { return true }
      return !watchlists.contains(value, in: list)
    case .sameAs(let left, let right):
      guard let a = left.value(event)?.keyText, let b = right.value(event)?.keyText else { return false }
      return a.lowercased() == b.lowercased()
    case .differentFrom(let left, let right):
      guard let a = left.value(event)?.keyText, let b = right.value(event)?.keyText else { return false }
      return a.lowercased() != b.lowercased()
    }
  }

  /// The watchlist it names, if any.
  package var list: String? {
    switch self {
    case .inList(_, let list), .notInList(_, let list): list
    case .sameAs, .differentFrom: nil
    }
  }
}

extension FieldValue {
  /// The value as group-key text.
  package var keyText: String? {
    switch self {
    case .string(let text): text
    case .integer(let number): String(number)
    case .double(let number): String(number)
    case .time(let time): String(FieldValue.nanoseconds(time))
    }
  }
}
