import VigilBase
import VigilCore
import VigilEventsAPIModel
import VigilYAML
import Yams

/// Reads a rule's `tests:`. Each test is `name`, `items` (API items, each under `item:` with an
/// optional `stream`, `repeat`, `every` and `ingested`), an optional `now` (absence rules) and
/// `expect` (a list of `{group: [...], count: N}`; empty for a negative test).
enum RuleTestReader {
  static func read(_ node: Node, rule: Rule, reader: inout NodeReader) -> [RuleTest] {
    guard case .sequence(let items) = node else {
      reader.report(node, "tests must be a list of `- name: …` tests")
      return []
    }
    return items.compactMap { readTest($0, rule: rule, reader: &reader) }
  }

  static func readTest(_ node: Node, rule: Rule, reader: inout NodeReader) -> RuleTest? {
    let allowed = ["name", "items", "now", "expect", "watchlists"]
    guard let keys = reader.mapping(node, what: "a test", allowed: allowed) else { return nil }
    let name = keys["name"].flatMap { reader.string($0, key: "name") } ?? "unnamed"
    var items: [RuleTest.Item] = []
    if case .sequence(let list)? = keys["items"] {
      for entry in list { items += readItem(entry, rule: rule, reader: &reader) }
    } else {
      reader.report(keys["items"] ?? node, "a test needs `items:`, a list of `- item: {…}` entries")
    }
    var now: Timestamp?
    if let node = keys["now"] {
      now = reader.string(node, key: "now").flatMap { Timestamp(rfc3339: $0) }
      if now == nil { reader.report(node, "now must be an RFC 3339 time such as 2026-01-02T03:04:05Z") }
    }
    var expected: [RuleTest.Expected] = []
    switch keys["expect"] {
    case .sequence(let list)?:
      for entry in list {
        guard let fields = reader.mapping(entry, what: "an expected alert", allowed: ["group", "count"]) else {
          continue
        }
        let group = fields["group"].map { RuleReader.strings($0, key: "group", reader: &reader) } ?? []
        if group.count != rule.groupBy.count {
          reader.report(
            entry, "group must hold \(rule.groupBy.count) values (\(rule.groupBy.map(\.name).joined(separator: ", ")))")
        }
        let count = fields["count"].flatMap { reader.count($0, key: "count", in: 0...1_000_000) }
        expected.append(RuleTest.Expected(group: group, count: count))
      }
    default:
      reader.report(keys["expect"] ?? node, "a test needs `expect:`, a list of alerts (`[]` for none)")
    }
    var watchlists: [String: [String]] = [:]
    if let node = keys["watchlists"] {
      if case .mapping(let lists) = node {
        for (key, value) in lists {
          guard let list = key.string else { continue }
          watchlists[list] = RuleReader.strings(value, key: "watchlists.\(list)", reader: &reader)
        }
      } else {
        reader.report(node, "watchlists must map list names to entries")
      }
    }
    return RuleTest(
      name: name, items: items, now: now, expected: expected, watchlists: watchlists, line: node.mark?.line)
  }

  /// One `- item:` entry; `repeat: N` makes N copies, `every: D` apart, with numbered uuids.
  static func readItem(_ node: Node, rule: Rule, reader: inout NodeReader) -> [RuleTest.Item] {
    guard
      let keys = reader.mapping(
        node, what: "a test item", allowed: ["item", "stream", "repeat", "every", "ingested", "enrichment"])
    else { return [] }
    guard let item = keys["item"], case .mapping = item else {
      reader.report(node, "a test item needs `item:`, the API item as a mapping")
      return []
    }
    var stream = rule.streams.first ?? .signInAttempts
    if let node = keys["stream"] {
      if let name = reader.string(node, key: "stream"), let value = EventStream(rawValue: name) {
        stream = value
      } else {
        reader.report(node, "stream must be one of \(EventStream.allCases.map(\.rawValue).joined(separator: ", "))")
      }
    }
    let copies = keys["repeat"].flatMap { reader.count($0, key: "repeat", in: 1...10_000) } ?? 1
    let every = keys["every"].flatMap { reader.duration($0, key: "every") } ?? 60
    let uuid = item["uuid"]?.string ?? "item"
    guard let start = item["timestamp"]?.string.flatMap({ Timestamp(rfc3339: $0) }) else {
      reader.report(item, "a test item needs a `timestamp:` in RFC 3339")
      return []
    }
    var ingested: Timestamp?
    if let node = keys["ingested"] {
      ingested = reader.string(node, key: "ingested").flatMap { Timestamp(rfc3339: $0) }
      if ingested == nil { reader.report(node, "ingested must be an RFC 3339 time") }
    }
    let enrichment = keys["enrichment"].map { readEnrichment($0, reader: &reader) } ?? Enrichment()
    return (0..<copies).map { index in
      let time = start.adding(seconds: every * Double(index))
      let replacing = copies == 1 ? [:] : ["uuid": "\(uuid)-\(index + 1)", "timestamp": time.rfc3339]
      return RuleTest.Item(
        stream: stream, json: Array(NodeJSON.encode(item, replacing: replacing).utf8), ingestedAt: ingested,
        enrichment: enrichment)
    }
  }

  /// `enrichment:` of a test item: `threat_feed`, `threat_category`, `as_number`, `network`.
  static func readEnrichment(_ node: Node, reader: inout NodeReader) -> Enrichment {
    var enrichment = Enrichment()
    let allowed = ["threat_feed", "threat_category", "as_number", "network"]
    guard let keys = reader.mapping(node, what: "enrichment", allowed: allowed) else { return enrichment }
    if let feed = keys["threat_feed"].flatMap({ reader.string($0, key: "threat_feed") }) {
      enrichment.threat = ThreatMatch(
        feeds: [feed], category: keys["threat_category"].flatMap { reader.string($0, key: "threat_category") },
        confidence: nil, indicator: "test")
    }
    enrichment.asNumber = keys["as_number"].flatMap { reader.count($0, key: "as_number", in: 0...4_294_967_295) }
    enrichment.network = keys["network"].flatMap { reader.string($0, key: "network") }
    return enrichment
  }
}
