import VigilBase
import VigilCore
import VigilEventsAPIModel

/// Loads every configured source into a ``SourceEnricher`` and says how each one went. A source that
/// fails keeps its previous contents (from `previous`), so a bad download or a half-written file
/// never empties a feed that was working.
package struct EnrichmentLoader: Sendable {
  /// Reads a file's bytes (the service passes the real file system; tests pass fixtures).
  package typealias ReadFile = @Sendable (String) throws -> [UInt8]

  package var settings: EnrichmentSettings
  /// Where a URL feed's last download is kept.
  package var cachePath: @Sendable (FeedSettings) -> String
  package var readFile: ReadFile

  package init(
    settings: EnrichmentSettings, cachePath: @escaping @Sendable (FeedSettings) -> String, readFile: @escaping ReadFile
  ) {
    self.settings = settings
    self.cachePath = cachePath
    self.readFile = readFile
  }

  /// Largest source file read (a GeoLite2 City database is about 60 MB).
  package static let maximumFileSize = 512 * 1024 * 1024

  package func load(now: Timestamp, previous: SourceEnricher? = nil) -> (SourceEnricher, [SourceStatus]) {
    var enricher = SourceEnricher()
    var statuses: [SourceStatus] = []
    if let path = settings.cityDatabase {
      let (database, status) = loadDatabase("geoip.city", path: path, now: now)
      enricher.city = database ?? previous?.city
      statuses.append(status)
    }
    if let path = settings.asnDatabase {
      let (database, status) = loadDatabase("geoip.asn", path: path, now: now)
      enricher.asn = database ?? previous?.asn
      statuses.append(status)
    }
    var feeds: [ThreatFeed] = []
    for feed in settings.feeds {
      var status = SourceStatus(
        name: feed.name, kind: "feed (\(feed.format.rawValue))", location: feed.location.description, checkedAt: now)
      let path: String =
        switch feed.location {
        case .file(let path): path
        case .url: cachePath(feed)
        }
      do {
        let bytes = try read(path)
        let parsed = try FeedParser.parse(
          bytes, format: feed.format, category: feed.category, confidence: feed.confidence, now: now)
        feeds.append(ThreatFeed(name: feed.name, indicators: parsed.entries))
        status.entries = parsed.entries.count
        status.skipped = parsed.skipped
        status.problems = parsed.problems.map(\.description)
        status.loadedAt = now
      } catch {
        status.error = Self.message(error, url: feed.location)
        if let old = previous?.feeds.feeds.first(where: { $0.name == feed.name }) {
          feeds.append(old)
          status.entries = old.indicators.count
        }
      }
      statuses.append(status)
    }
    enricher.feeds = ThreatFeedSet(feeds)
    for kind in LookupKind.allCases {
      guard let path = settings.lookups[kind] else { continue }
      var status = SourceStatus(
        name: "lookups.\(kind.rawValue)", kind: "lookup (\(kind.rawValue))", location: path, checkedAt: now)
      do {
        var table = enricher.lookups
        let parsed = try table.load(kind, bytes: try read(path))
        enricher.lookups = table
        status.entries = parsed.entries.count
        status.skipped = parsed.skipped
        status.problems = parsed.problems.map(\.description)
        status.loadedAt = now
      } catch {
        status.error = Self.message(error, url: nil)
        if let previous { enricher.lookups.copy(kind, from: previous.lookups) }
      }
      statuses.append(status)
    }
    return (enricher, statuses)
  }

  private func loadDatabase(_ name: String, path: String, now: Timestamp) -> (IPDatabase?, SourceStatus) {
    var status = SourceStatus(name: name, kind: "mmdb", location: path, checkedAt: now)
    do {
      let database = try IPDatabase(bytes: try read(path))
      status.kind = "mmdb (\(database.metadata.databaseType))"
      status.entries = database.metadata.nodeCount
      status.loadedAt = now
      return (database, status)
    } catch {
      status.error = Self.message(error, url: nil)
      return (nil, status)
    }
  }

  private func read(_ path: String) throws -> [UInt8] {
    let bytes = try readFile(path)
    guard bytes.count <= Self.maximumFileSize else {
      throw SourceError.tooLarge("\(bytes.count) bytes; Vigil reads sources up to \(Self.maximumFileSize) bytes")
    }
    return bytes
  }

  static func message(_ error: any Error, url: FeedSettings.Location?) -> String {
    if case .url? = url, !(error is SourceError) {
      return "not downloaded yet or the download is unreadable (\(error)); Vigil downloads it on the next refresh"
    }
    return "\(error)"
  }
}

extension LookupTables {
  /// Keeps one table's previous contents after a failed reload.
  mutating func copy(_ kind: LookupKind, from other: LookupTables) {
    switch kind {
    case .vaults: vaults = other.vaults
    case .items: items = other.items
    case .users: users = other.users
    case .networks:
      networks = other.networks
      networkLabels = other.networkLabels
    }
  }
}
