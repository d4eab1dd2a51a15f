import Foundation
import VigilBase
import VigilCore
import VigilEmulatorCore
import VigilEventsAPIModel
import VigilQuery

/// Random queries in the language's own syntax, with values drawn from the events they run over so
/// that they match something: filters of every kind, nested booleans, and every pipeline stage.
package struct RandomQueries {
  let events: [CanonicalEvent]
  var random: SeededGenerator

  /// Fields the generator filters and groups on, with how it writes values for them.
  static let filterFields = [
    "stream", "action", "outcome", "type", "user", "name", "user.type", "country", "geo.country_name", "city",
    "region", "app", "platform", "os", "ip", "vault", "item", "item.version", "target.type", "aux.info",
    "account", "geo.lat", "time", "session", "details",
  ]
  static let groupFields = [
    "stream", "action", "outcome", "type", "user", "user.type", "country", "geo.country_name", "account", "app",
    "target.type", "item.version",
  ]
  static let rollupGroups = [
    "stream", "action", "outcome", "type", "user", "user.type", "country", "account", "client.app", "client.os",
    "client.platform", "geo.region", "geo.city", "source.as.organization", "target.type",
  ]
  static let rawPaths = ["raw.category", "raw.action", "raw.client.app_name", "raw.used_version", "raw.type"]

  mutating func value(of name: String) -> FieldValue? {
    guard let field = FieldCatalog.field(named: name) else { return nil }
    for _ in 0..<8 {
      if let value = field.value(random.pick(events)) { return value }
    }
    return nil
  }

  static func quoted(_ text: String) -> String {
    "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
  }

  static func literal(_ value: FieldValue) -> String {
    switch value {
    case .string(let text): quoted(text)
    case .integer(let number): String(number)
    case .double(let number): String(number)
    case .time(let time): time.rfc3339
    }
  }

  mutating func term() -> String {
    let roll = Int.random(in: 0..<100, using: &random)
    if roll < 6 { return random.pick(["signin", "itemusage", "audit"]) }
    if roll < 12 {
      // Free text: a piece of a searchable value.
      let field = random.pick(FieldCatalog.fields.filter(\.searchable))
      guard case .string(let text)? = value(of: field.name), text.count >= 3 else { return "nothing_at_all" }
      let characters = Array(text)
      let start = Int.random(in: 0..<(characters.count - 2), using: &random)
      let piece = String(characters[start..<min(characters.count, start + Int.random(in: 2...6, using: &random))])
      return random.chance(0.5) ? Self.quoted(piece.uppercased()) : Self.quoted(piece)
    }
    if roll < 18 {
      let path = random.pick(Self.rawPaths)
      if random.chance(0.2) { return "\(path):*" }
      let raw = random.pick(events).raw
      let segments = Array(path.dropFirst(4).split(separator: ".").map(String.init))
      guard case .string(let text)? = RawPath.value(segments, in: raw) else { return "\(path):nothing" }
      return "\(path):\(Self.quoted(text))"
    }
    let name = random.pick(Self.filterFields)
    guard let field = FieldCatalog.field(named: name) else { return "nothing" }
    if random.chance(0.1) { return "\(name):*" }
    guard let value = value(of: name) else { return "\(name):*" }
    switch (field.type, value) {
    case (.ip, .string(let text)):
      if random.chance(0.5), let address = IPAddress(text) {
        let prefix = address.isIPv4 ? Int.random(in: 4...32, using: &random) : Int.random(in: 16...128, using: &random)
        return "\(name):\(address)/\(prefix)"
      }
      if random.chance(0.3) { return "\(name):\(text.prefix(3))*" }
      return "\(name):\(text)"
    case (_, .string(let text)):
      switch Int.random(in: 0..<10, using: &random) {
      case 0, 1:
        let cut = text.prefix(max(1, text.count / 2))
        return "\(name):\(Self.escapedBare(String(cut)))*"
      case 2: return "\(name):*\(Self.escapedBare(String(text.suffix(3))).lowercased())"
      case 3: return "\(name):>=\(Self.quoted(text))"
      case 4: return "\(name):(\(Self.quoted(text)) OR \(Self.literal(self.value(of: name) ?? value)))"
      default: return "\(name):\(Self.quoted(text))"
      }
    case (_, .time(let time)):
      let other = self.value(of: name).flatMap { if case .time(let t) = $0 { t } else { nil } } ?? time
      let (low, high) = time < other ? (time, other) : (other, time)
      switch Int.random(in: 0..<4, using: &random) {
      case 0: return "\(name):>=\(low.rfc3339)"
      case 1: return "\(name):<\(high.rfc3339)"
      case 2: return "\(name):[\(low.rfc3339) TO \(high.rfc3339)}"
      default: return "\(name):\(String(low.rfc3339.prefix(10)))"
      }
    default:
      let text = Self.literal(value)
      switch Int.random(in: 0..<5, using: &random) {
      case 0: return "\(name):>\(text)"
      case 1: return "\(name):<=\(text)"
      case 2: return "\(name):[\(text) TO *]"
      default: return "\(name):\(text)"
      }
    }
  }

  static func escapedBare(_ text: String) -> String {
    var result = ""
    for character in text {
      if character.isWhitespace || "()\"|*?\\:[]{}".contains(character) { result.append("\\") }
      result.append(character)
    }
    return result
  }

  mutating func filter(depth: Int = 0) -> String {
    let roll = Int.random(in: 0..<10, using: &random)
    if depth >= 3 || roll < 4 { return term() }
    switch roll {
    case 4, 5: return "\(filter(depth: depth + 1)) \(filter(depth: depth + 1))"
    case 6: return "(\(filter(depth: depth + 1)) OR \(filter(depth: depth + 1)))"
    case 7: return "NOT \(term())"
    case 8: return "-(\(filter(depth: depth + 1)))"
    default: return "\(filter(depth: depth + 1)) AND \(filter(depth: depth + 1))"
    }
  }

  /// Filters made only of rollup dimensions, so that aggregations take the rollup path.
  mutating func rollupFilter() -> String {
    var parts: [String] = []
    for _ in 0..<Int.random(in: 0...2, using: &random) {
      let name = random.pick(Self.rollupGroups)
      guard let value = value(of: name), case .string(let text) = value else { continue }
      let term = random.chance(0.2) ? "-\(name):\(Self.quoted(text))" : "\(name):\(Self.quoted(text))"
      parts.append(term)
    }
    if random.chance(0.3) { parts.append(random.pick(["signin", "itemusage", "audit"])) }
    return parts.joined(separator: " ")
  }

  mutating func pipeline() -> String {
    let group = random.pick(Self.rollupGroups)
    let any = random.pick(Self.groupFields)
    switch Int.random(in: 0..<14, using: &random) {
    case 0: return ""
    case 1: return " | limit \(Int.random(in: 1...50, using: &random))"
    case 2: return " | count"
    case 3: return " | count by \(group)"
    case 4: return " | count by \(group), \(random.pick(Self.rollupGroups))"
    case 5: return " | top \(Int.random(in: 1...8, using: &random)) \(any)"
    case 6: return " | rare \(Int.random(in: 1...8, using: &random)) \(group)"
    case 7: return " | dc(user) by \(group)"
    case 8: return " | stats count, dc(country), min(action), max(time), avg(item.version), sum(geo.lat) by \(any)"
    case 9: return " | timechart span=\(random.pick(["1h", "1d", "30m", "2h"])) count by \(group)"
    case 10: return random.pick([" | geo", " | geo by geo.city", " | geo by geo.region, client.app"])
    case 11: return " | timechart span=1d count | compare 1d"
    case 12: return " | count by \(group) | compare 2d | sort -count.previous | limit 5"
    default: return " | fields time, user, ip, action | sort user, -time | limit 40"
    }
  }

  /// A time range within the events' span: open, whole days, or cut mid-hour.
  mutating func range(first: Int64, last: Int64) -> TimeRange {
    let hour: Int64 = 3_600_000_000_000
    switch Int.random(in: 0..<4, using: &random) {
    case 0: return .all
    case 1:
      let from = Rollup.floor(Int64.random(in: first...last, using: &random), 24 * hour)
      return TimeRange(from: from, to: from + Int64.random(in: 1...4, using: &random) * 24 * hour)
    case 2:
      let a = Int64.random(in: first...last, using: &random)
      let b = Int64.random(in: first...last, using: &random)
      return TimeRange(from: min(a, b), to: max(a, b) + 1)
    default: return TimeRange(from: Int64.random(in: first...last, using: &random))
    }
  }

  mutating func query() -> String {
    let pipeline = self.pipeline()
    let aggregates = pipeline.contains("count") || pipeline.contains("top") || pipeline.contains("geo")
    let filter = aggregates && random.chance(0.6) ? rollupFilter() : filter()
    return filter + pipeline
  }
}
