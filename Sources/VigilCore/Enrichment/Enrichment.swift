/// What Vigil added to an event at ingest from sources the user configured: IP databases, threat
/// feeds and lookup tables. Unlike the rest of ``CanonicalEvent`` it is not a function of the raw JSON,
/// so the store keeps it in its own columns and `vigil intel rescan` can compute it again.
package struct Enrichment: Hashable, Sendable {
  /// Autonomous system of the source address (from an ASN database).
  package var asNumber: Int?
  package var asOrganization: String?
  /// Where the event's geo fields came from: `event` (the API's own location) or `mmdb` (a database
  /// filled what the event lacked).
  package var geoSource: GeoSource?
  /// The label of the user's network table entry containing the source address (office, VPN, …).
  package var network: String?
  /// The threat-intel match for the source address, if any feed lists it.
  package var threat: ThreatMatch?
  /// From the user's lookup tables.
  package var vaultName: String?
  package var itemTitle: String?
  package var userDepartment: String?
  package var userManager: String?

  package init() {}

  package var isEmpty: Bool { self == Enrichment() }
}

package enum GeoSource: String, Hashable, Sendable {
  case event, mmdb
}

/// A source address found in threat-intel feeds. Several feeds may list it: the best match (highest
/// confidence, then most specific block) gives category, confidence and indicator; `feeds` names
/// every feed that matched, best first.
package struct ThreatMatch: Hashable, Sendable {
  package var feeds: [String]
  package var category: String?
  /// 0–100, when the feed says.
  package var confidence: Int?
  /// The listed address or block that matched (`203.0.113.0/24`).
  package var indicator: String

  package init(feeds: [String], category: String?, confidence: Int?, indicator: String) {
    self.feeds = feeds
    self.category = category
    self.confidence = confidence
    self.indicator = indicator
  }
}

/// Adds enrichment to events. Implementations are immutable snapshots of their sources, so one can be
/// shared by every collector task and swapped whole when a source reloads.
package protocol EventEnricher: Sendable {
  /// Enriches one event, reusing what `memo` already holds for its source address (the caller keeps
  /// one memo per page or batch, and never across snapshots).
  func enrich(_ event: inout CanonicalEvent, memo: inout EnrichmentMemo)
}

extension EventEnricher {
  /// Enriches one event on its own.
  package func enrich(_ event: inout CanonicalEvent) {
    var memo = EnrichmentMemo()
    enrich(&event, memo: &memo)
  }
}

/// What the sources say about one source address: the same for every event from it under one snapshot.
package struct AddressFacts: Sendable {
  /// The geo database's answer (merged into each event's own location, which wins).
  package var geo: Geo?
  package var asNumber: Int?
  package var asOrganization: String?
  package var threat: ThreatMatch?
  package var network: String?

  package init() {}
}

/// Address lookups already made for a page: a page's events come from few addresses, and a database
/// lookup decodes a whole record. Bounded: past ``capacity`` addresses, lookups are not remembered.
package struct EnrichmentMemo {
  package static let capacity = 4_096
  private var facts: [String: AddressFacts] = [:]

  package init() {}

  /// The facts for `address`, looked up by `find` the first time it is asked for.
  package mutating func facts(for address: String, find: () -> AddressFacts?) -> AddressFacts? {
    if let known = facts[address] { return known }
    guard let found = find() else { return nil }
    if facts.count < Self.capacity { facts[address] = found }
    return found
  }
}
