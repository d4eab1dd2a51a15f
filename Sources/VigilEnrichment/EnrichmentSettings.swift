import VigilBase

/// The `enrichment:` section of `vigil.yaml`: every source optional.
package struct EnrichmentSettings: Hashable, Sendable {
  /// A MaxMind-format City or Country database (path).
  package var cityDatabase: String?
  /// A MaxMind-format ASN database (path).
  package var asnDatabase: String?
  package var feeds: [FeedSettings] = []
  package var lookups: [LookupKind: String] = [:]
  /// How often files are checked for changes (seconds).
  package var checkInterval: Double = 30

  package init() {}

  package var isEmpty: Bool { cityDatabase == nil && asnDatabase == nil && feeds.isEmpty && lookups.isEmpty }
}

/// One threat feed.
package struct FeedSettings: Hashable, Sendable {
  package enum Location: Hashable, Sendable, CustomStringConvertible {
    case file(String)
    case url(String)

    package var description: String {
      switch self {
      case .file(let path): path
      case .url(let url): URLText.withoutCredentials(url)
      }
    }
  }

  package var name: String
  package var location: Location
  package var format: FeedFormat
  /// Category for indicators the feed does not categorise itself (`tor` for the Tor format).
  package var category: String?
  /// Confidence for indicators the feed does not score (0–100).
  package var confidence: Int?
  /// How often a URL feed is downloaded again (seconds).
  package var refresh: Double = 3600

  package init(name: String, location: Location, format: FeedFormat) {
    self.name = name
    self.location = location
    self.format = format
  }
}
