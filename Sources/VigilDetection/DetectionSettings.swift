import VigilCore
import VigilYAML

/// The `detection:` section of `vigil.yaml`: which rules run, how they are tuned, the watchlists.
package struct DetectionSettings: Hashable, Sendable {
  package var enabled = true
  /// Rule files and folders added to the built-in pack (absolute paths).
  package var ruleFiles: [String] = []
  /// Rule ids turned off.
  package var disabled: [String] = []
  /// Per rule id: what to change.
  package var overrides: [String: RuleOverride] = [:]
  /// Entries added to the named watchlists, inline or read from files (one entry per line).
  package var watchlists: [String: [String]] = [:]
  package var watchlistFiles: [String: String] = [:]
  /// Nanoseconds of event time an event may arrive behind its stream (at least 48 hours).
  package var allowedLateness = DetectionEngine.defaultLateness

  package init() {}
}

/// A user's changes to one rule. Absent fields leave the rule as shipped.
package struct RuleOverride: Hashable, Sendable {
  package var enabled: Bool?
  package var severity: Severity?
  package var filter: String?
  package var count: Int?
  /// Nanoseconds.
  package var window: Int64?
  package var suppression: Int64?
  /// Where the override was written (for messages).
  package var line: Int?

  package init() {}
}

extension RuleLibrary {
  /// The library with `settings`' disables and overrides applied. Problems name unknown rules and
  /// overrides that do not fit the rule's kind.
  package func applying(_ settings: DetectionSettings, file: String) -> RuleLibrary {
    var library = self
    let known = Set(rules.map(\.id))
    func problem(_ line: Int?, _ message: String) {
      library.problems.append(.init(file: file, line: line, message: message))
    }
    for id in settings.disabled where !known.contains(id) {
      problem(nil, "detection.disable names no rule \(id)\(Self.hint(id, in: known))")
    }
    for (id, override) in settings.overrides where !known.contains(id) {
      problem(override.line, "detection.overrides names no rule \(id)\(Self.hint(id, in: known))")
    }
    for index in library.rules.indices {
      var rule = library.rules[index]
      if settings.disabled.contains(rule.id) { rule.enabled = false }
      if let override = settings.overrides[rule.id] {
        do {
          try rule.apply(override)
        } catch {
          problem(override.line, "detection.overrides.\(rule.id): \(error.message)")
        }
      }
      library.rules[index] = rule
    }
    return library
  }

  private static func hint(_ id: String, in known: Set<String>) -> String {
    nearest(id, in: known.sorted()).map { " (did you mean \($0)?)" } ?? ""
  }
}
