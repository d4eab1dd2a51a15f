import VigilBase
import VigilEventsAPIModel

/// How one enrichment source last loaded, as `vigil status` shows it. The collector records them in
/// the store after each load and reload.
package struct SourceStatus: Hashable, Sendable {
  /// The source's name: the feed's name, or `geoip.city`, `geoip.asn`, `lookups.vaults`, ….
  package var name: String
  /// `mmdb`, `feed (list)`, `lookup (users)`, ….
  package var kind: String
  /// The file path or URL (without credentials).
  package var location: String
  package var entries: Int
  /// Lines skipped as unusable, with the first problems in `problems`.
  package var skipped: Int
  package var problems: [String]
  /// When the source was last read successfully (nil: never).
  package var loadedAt: Timestamp?
  /// URL feeds: when the last download succeeded.
  package var refreshedAt: Timestamp?
  /// When loading last failed, and why (the previous contents stay in use).
  package var error: String?
  package var checkedAt: Timestamp

  package init(name: String, kind: String, location: String, checkedAt: Timestamp) {
    self.name = name
    self.kind = kind
    self.location = location
    self.entries = 0
    self.skipped = 0
    self.problems = []
    self.checkedAt = checkedAt
  }
}
