import VigilCore

/// One listed address or block of a threat-intel feed.
package struct ThreatIndicator: Hashable, Sendable {
  package var network: IPNetwork
  package var category: String?
  /// 0–100.
  package var confidence: Int?

  package init(network: IPNetwork, category: String? = nil, confidence: Int? = nil) {
    self.network = network
    self.category = category
    self.confidence = confidence
  }
}

/// A loaded feed: its indicators and their longest-prefix index.
package struct ThreatFeed: Sendable {
  package let name: String
  package let indicators: [ThreatIndicator]
  private let index: IPRangeIndex

  package init(name: String, indicators: [ThreatIndicator]) {
    self.name = name
    self.indicators = indicators
    index = IPRangeIndex(indicators.map(\.network))
  }

  /// The most specific indicator listing `address`.
  package func match(_ address: IPAddress) -> ThreatIndicator? {
    index.lookup(address).map { indicators[$0] }
  }
}

/// Every configured feed, matched together: an address listed by several feeds gets the best match
/// (highest confidence, then most specific block) and the names of all of them.
package struct ThreatFeedSet: Sendable {
  package var feeds: [ThreatFeed]

  package init(_ feeds: [ThreatFeed]) { self.feeds = feeds }

  package func match(_ address: IPAddress) -> ThreatMatch? {
    var hits: [(feed: String, indicator: ThreatIndicator)] = []
    for feed in feeds {
      if let indicator = feed.match(address) { hits.append((feed.name, indicator)) }
    }
    guard !hits.isEmpty else { return nil }
    hits.sort { a, b in
      let (x, y) = (a.indicator.confidence ?? -1, b.indicator.confidence ?? -1)
      if x != y { return x > y }
      return a.indicator.network.prefixLength > b.indicator.network.prefixLength
    }
    let best = hits[0].indicator
    let indicator =
      best.network.prefixLength == 128 ? best.network.first.description : best.network.description
    return ThreatMatch(
      feeds: hits.map(\.feed), category: best.category, confidence: best.confidence, indicator: indicator)
  }
}
