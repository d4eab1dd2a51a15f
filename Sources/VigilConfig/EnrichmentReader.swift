import VigilCore
import VigilEnrichment
import VigilYAML
import Yams

/// Reads the `enrichment:` section: databases, feeds, lookups, each path relative to the file.
enum EnrichmentReader {
  static let keys = ["geoip", "feeds", "lookups", "check_interval"]
  static let feedKeys = ["name", "file", "url", "format", "category", "confidence", "refresh"]

  static func read(_ node: Node, reader: inout NodeReader, directory: String) -> EnrichmentSettings {
    var settings = EnrichmentSettings()
    guard let keys = reader.mapping(node, what: "enrichment", allowed: Self.keys) else { return settings }
    if let geo = keys["geoip"], let entries = reader.mapping(geo, what: "enrichment.geoip", allowed: ["city", "asn"]) {
      settings.cityDatabase = entries["city"].flatMap { reader.string($0, key: "geoip.city") }
        .map { ConfigLoader.resolve($0, in: directory) }
      settings.asnDatabase = entries["asn"].flatMap { reader.string($0, key: "geoip.asn") }
        .map { ConfigLoader.resolve($0, in: directory) }
    }
    if let lookups = keys["lookups"],
      let entries = reader.mapping(lookups, what: "enrichment.lookups", allowed: LookupKind.allCases.map(\.rawValue))
    {
      for kind in LookupKind.allCases {
        if let path = entries[kind.rawValue].flatMap({ reader.string($0, key: "lookups.\(kind.rawValue)") }) {
          settings.lookups[kind] = ConfigLoader.resolve(path, in: directory)
        }
      }
    }
    if let value = keys["check_interval"] {
      settings.checkInterval = reader.duration(value, key: "check_interval") ?? settings.checkInterval
    }
    if let feeds = keys["feeds"] {
      guard case .sequence(let items) = feeds else {
        reader.report(feeds, "enrichment.feeds must be a list (each entry starting with `- name: …`)")
        return settings
      }
      for item in items {
        if let feed = readFeed(item, reader: &reader, directory: directory) {
          if settings.feeds.contains(where: { $0.name == feed.name }) {
            reader.report(item, "feed name \(feed.name) is used twice")
          } else {
            settings.feeds.append(feed)
          }
        }
      }
    }
    return settings
  }

  private static func readFeed(_ node: Node, reader: inout NodeReader, directory: String) -> FeedSettings? {
    guard let keys = reader.mapping(node, what: "a feed", allowed: feedKeys) else { return nil }
    guard let name = keys["name"].flatMap({ reader.string($0, key: "name") }) else {
      reader.report(node, "a feed needs a name (letters, digits, `-`, `_`, `.`)")
      return nil
    }
    guard !name.isEmpty, name.count <= 64,
      name.unicodeScalars.allSatisfy({
        $0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0)
      })
    else {
      reader.report(keys["name"], "feed name \(name) may only use letters, digits, `-`, `_` and `.` (at most 64)")
      return nil
    }
    let file = keys["file"].flatMap { reader.string($0, key: "file") }
    let url = keys["url"].flatMap { reader.string($0, key: "url") }
    let location: FeedSettings.Location
    switch (file, url) {
    case (let path?, nil): location = .file(ConfigLoader.resolve(path, in: directory))
    case (nil, let url?):
      guard url.hasPrefix("https://") || url.hasPrefix("http://") else {
        reader.report(keys["url"], "feed \(name): url must start with https://")
        return nil
      }
      location = .url(url)
    case (.some, .some):
      reader.report(node, "feed \(name) has both file and url; keep one")
      return nil
    case (nil, nil):
      reader.report(node, "feed \(name) needs file (a path) or url")
      return nil
    }
    var format = FeedFormat.list
    if let node = keys["format"], let text = reader.string(node, key: "format") {
      guard let known = FeedFormat(rawValue: text) else {
        let hint = nearest(text, in: FeedFormat.allCases.map(\.rawValue)).map { " (did you mean \($0)?)" } ?? ""
        reader.report(node, "feed \(name): unknown format \(text)\(hint); formats are list, csv, tor, stix")
        return nil
      }
      format = known
    }
    var feed = FeedSettings(name: name, location: location, format: format)
    feed.category = keys["category"].flatMap { reader.string($0, key: "category") }
    if let node = keys["confidence"], let text = reader.string(node, key: "confidence") {
      if let value = Int(text), (0...100).contains(value) {
        feed.confidence = value
      } else {
        reader.report(node, "feed \(name): confidence must be a whole number from 0 to 100, not \(text)")
      }
    }
    if let node = keys["refresh"] { feed.refresh = reader.duration(node, key: "refresh") ?? feed.refresh }
    return feed
  }
}
