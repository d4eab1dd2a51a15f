import VigilCore
import VigilEventsAPIModel
import VigilQuery
import VigilYAML
import Yams

extension RuleReader {
  /// A list of plain values (a single value counts as a list of one).
  static func strings(_ node: Node, key: String, reader: inout NodeReader) -> [String] {
    switch node {
    case .sequence(let items):
      return items.compactMap { reader.string($0, key: key) }
    case .scalar:
      return reader.string(node, key: key).map { [$0] } ?? []
    default:
      reader.report(node, "\(key) must be a list")
      return []
    }
  }

  static func readStreams(_ node: Node, reader: inout NodeReader) -> [EventStream] {
    let names = strings(node, key: "streams", reader: &reader)
    var streams: [EventStream] = []
    for name in names {
      guard let stream = EventStream(rawValue: name) else {
        let known = EventStream.allCases.map(\.rawValue)
        let hint = nearest(name, in: known).map { " (did you mean \($0)?)" } ?? ""
        reader.report(node, "unknown stream \(name)\(hint); streams are \(known.joined(separator: ", "))")
        continue
      }
      streams.append(stream)
    }
    if names.isEmpty { reader.report(node, "streams must name at least one stream") }
    return streams
  }

  /// Catalog fields by name or alias.
  static func fields(_ node: Node, key: String, reader: inout NodeReader) -> [Field] {
    strings(node, key: key, reader: &reader).compactMap { field($0, at: node, reader: &reader) }
  }

  static func field(_ name: String, at node: Node?, reader: inout NodeReader) -> Field? {
    if let field = FieldCatalog.field(named: name) { return field }
    let hint = nearest(name, in: FieldCatalog.fields.map(\.name)).map { " (did you mean \($0)?)" } ?? ""
    reader.report(node, "unknown field \(name)\(hint); `vigil fields` lists them")
    return nil
  }

  /// A `where:` filter in the query language: a filter only, no pipeline stages.
  static func readFilter(_ node: Node?, reader: inout NodeReader) -> (String, MemoryFilter) {
    guard let node, let text = reader.string(node, key: "where") else { return ("", MemoryFilter(.all)) }
    do {
      let query = try QueryParser.parse(text, now: 0)
      guard query.stages.isEmpty else {
        reader.report(node, "where must be a filter without pipeline stages (`| …`): \(text)")
        return (text, MemoryFilter(.all))
      }
      return (text, MemoryFilter(query.filter))
    } catch {
      reader.report(node, "where is not a valid query: \(error.rendered(in: text))")
      return (text, MemoryFilter(.all))
    }
  }

  /// `conditions:` items: `{field: F, in: LIST}`, `{field: F, not_in: LIST}`, `{field: F, same_as: G}`,
  /// `{field: F, different_from: G}`.
  static func readConditions(_ node: Node, reader: inout NodeReader) -> [RuleCondition] {
    guard case .sequence(let items) = node else {
      reader.report(node, "conditions must be a list of `- field: …` items")
      return []
    }
    return items.compactMap { item in
      let allowed = ["field", "in", "not_in", "same_as", "different_from"]
      guard let keys = reader.mapping(item, what: "a condition", allowed: allowed) else { return nil }
      guard let fieldNode = keys["field"] else {
        reader.report(item, "a condition needs `field:`")
        return nil
      }
      guard let name = reader.string(fieldNode, key: "field"),
        let field = Self.field(name, at: fieldNode, reader: &reader)
      else { return nil }
      let tests = ["in", "not_in", "same_as", "different_from"].filter { keys[$0] != nil }
      guard tests.count == 1, let test = tests.first, let valueNode = keys[test],
        let value = reader.string(valueNode, key: test)
      else {
        reader.report(item, "a condition needs exactly one of in, not_in, same_as, different_from")
        return nil
      }
      switch test {
      case "in": return .inList(field, value)
      case "not_in": return .notInList(field, value)
      default:
        guard let other = Self.field(value, at: valueNode, reader: &reader) else { return nil }
        return test == "same_as" ? .sameAs(field, other) : .differentFrom(field, other)
      }
    }
  }

  static func readKind(_ name: String, keys: [String: Node], rule: Node, reader: inout NodeReader) -> RuleKind {
    func need(_ key: String) -> Node? {
      if let node = keys[key] { return node }
      reader.report(rule, "kind \(name) needs `\(key):`")
      return nil
    }
    func window(_ key: String = "window") -> Int64 {
      need(key).flatMap { reader.duration($0, key: key) }.map(nanoseconds) ?? hour
    }
    func count() -> Int { need("count").flatMap { reader.count($0, key: "count", in: 1...1_000_000) } ?? 1 }
    switch name {
    case "threshold":
      return .threshold(count: count(), window: window())
    case "distinct":
      let field = need("field").flatMap { node in
        reader.string(node, key: "field").flatMap { Self.field($0, at: node, reader: &reader) }
      }
      return .distinct(field: field ?? FieldCatalog.userID, count: count(), window: window())
    case "new_value":
      let fields = need("fields").map { Self.fields($0, key: "fields", reader: &reader) } ?? []
      return .newValue(fields: fields, lookback: window("lookback"), learning: window("learning"))
    case "geo_velocity":
      func number(_ key: String, _ fallback: Double) -> Double {
        guard let node = keys[key] else { return fallback }
        guard let value = node.float, value > 0 else {
          reader.report(node, "\(key) must be a positive number")
          return fallback
        }
        return value
      }
      var exempt = true
      if let node = keys["exempt_same_asn"] {
        if let value = node.bool {
          exempt = value
        } else {
          reader.report(node, "exempt_same_asn must be true or false")
        }
      }
      return .geoVelocity(
        GeoVelocity(
          maxSpeed: number("max_speed_kmh", 900), minDistance: number("min_distance_km", 500),
          window: keys["window"].flatMap { reader.duration($0, key: "window") }.map(nanoseconds) ?? 24 * hour,
          exemptSameASN: exempt,
          knownNetworks: keys["known_networks"].flatMap { reader.string($0, key: "known_networks") }))
    case "sequence":
      let steps = need("steps").map { readSteps($0, reader: &reader) } ?? []
      return .sequence(steps: steps, window: window())
    case "absence":
      return .absence(window: window())
    default:
      return .match
    }
  }

  static func readSteps(_ node: Node, reader: inout NodeReader) -> [SequenceStep] {
    guard case .sequence(let items) = node, items.count >= 2, items.count <= 16 else {
      reader.report(node, "steps must be a list of 2 to 16 steps")
      return []
    }
    return items.compactMap { item in
      guard
        let keys = reader.mapping(
          item, what: "a step", allowed: ["name", "streams", "where", "count", "group_by", "conditions"])
      else { return nil }
      let (text, filter) = readFilter(keys["where"], reader: &reader)
      return SequenceStep(
        name: keys["name"].flatMap { reader.string($0, key: "name") } ?? "step",
        streams: keys["streams"].map { readStreams($0, reader: &reader) } ?? EventStream.allCases,
        filterText: text, filter: filter,
        conditions: keys["conditions"].map { readConditions($0, reader: &reader) } ?? [],
        count: keys["count"].flatMap { reader.count($0, key: "count", in: 1...10_000) } ?? 1,
        groupBy: keys["group_by"].map { fields($0, key: "group_by", reader: &reader) })
    }
  }
}
