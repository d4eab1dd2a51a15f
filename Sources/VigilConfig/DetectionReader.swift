import VigilCore
import VigilDetection
import VigilYAML
import Yams

/// Reads the `detection:` section: rule files, disables, overrides, watchlists, allowed lateness.
enum DetectionReader {
  static let keys = ["enabled", "rules", "disable", "overrides", "watchlists", "allowed_lateness"]
  static let overrideKeys = ["enabled", "severity", "where", "count", "window", "suppress"]

  static func read(_ node: Node, reader: inout NodeReader, directory: String) -> DetectionSettings {
    var settings = DetectionSettings()
    guard let keys = reader.mapping(node, what: "detection", allowed: Self.keys) else { return settings }
    if let value = keys["enabled"] {
      if let enabled = value.bool {
        settings.enabled = enabled
      } else {
        reader.report(value, "enabled must be true or false")
      }
    }
    if let value = keys["rules"] {
      settings.ruleFiles = list(value, key: "detection.rules", reader: &reader).map {
        ConfigLoader.resolve($0, in: directory)
      }
    }
    if let value = keys["disable"] { settings.disabled = list(value, key: "detection.disable", reader: &reader) }
    if let value = keys["allowed_lateness"], let seconds = reader.duration(value, key: "allowed_lateness") {
      if seconds < 48 * 3_600 {
        reader.report(value, "allowed_lateness must be at least 48h: item usages arrive up to a day late")
      } else {
        settings.allowedLateness = Int64(seconds * 1e9)
      }
    }
    if let value = keys["overrides"], case .mapping(let overrides) = value {
      for (idNode, body) in overrides {
        guard let id = idNode.string else { continue }
        if let override = readOverride(body, id: id, reader: &reader) { settings.overrides[id] = override }
      }
    } else if let value = keys["overrides"] {
      reader.report(value, "detection.overrides must map rule ids to their changes")
    }
    if let value = keys["watchlists"], case .mapping(let lists) = value {
      for (nameNode, body) in lists {
        guard let name = nameNode.string else { continue }
        if case .mapping = body {
          guard let entries = reader.mapping(body, what: "watchlist \(name)", allowed: ["file"]),
            let file = entries["file"].flatMap({ reader.string($0, key: "file") })
          else { continue }
          settings.watchlistFiles[name] = ConfigLoader.resolve(file, in: directory)
        } else {
          settings.watchlists[name] = list(body, key: "detection.watchlists.\(name)", reader: &reader)
        }
      }
    } else if let value = keys["watchlists"] {
      reader.report(value, "detection.watchlists must map list names to entries or `{file: PATH}`")
    }
    return settings
  }

  static func list(_ node: Node, key: String, reader: inout NodeReader) -> [String] {
    switch node {
    case .sequence(let items): return items.compactMap { reader.string($0, key: key) }
    case .scalar: return reader.string(node, key: key).map { [$0] } ?? []
    default:
      reader.report(node, "\(key) must be a list")
      return []
    }
  }

  static func readOverride(_ node: Node, id: String, reader: inout NodeReader) -> RuleOverride? {
    guard let keys = reader.mapping(node, what: "detection.overrides.\(id)", allowed: Self.overrideKeys) else {
      return nil
    }
    var override = RuleOverride()
    override.line = node.mark?.line
    if let value = keys["enabled"] {
      if let enabled = value.bool {
        override.enabled = enabled
      } else {
        reader.report(value, "enabled must be true or false")
      }
    }
    if let value = keys["severity"], let text = reader.string(value, key: "severity") {
      if let severity = Severity(rawValue: text) {
        override.severity = severity
      } else {
        reader.report(value, "severity must be one of \(Severity.allCases.map(\.rawValue).joined(separator: ", "))")
      }
    }
    override.filter = keys["where"].flatMap { reader.string($0, key: "where") }
    override.count = keys["count"].flatMap { reader.count($0, key: "count", in: 1...1_000_000) }
    override.window = keys["window"].flatMap { reader.duration($0, key: "window") }.map { Int64($0 * 1e9) }
    override.suppression = keys["suppress"].flatMap { reader.duration($0, key: "suppress") }.map { Int64($0 * 1e9) }
    return override
  }
}
