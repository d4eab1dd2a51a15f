import VigilBase
import VigilCore
import VigilDetection
import VigilEventsAPIModel

/// A rule in full, for `vigil rules show`.
enum RuleDescription {
  static func lines(_ rule: Rule) -> [String] {
    var lines = [
      "\(rule.id): \(rule.title)", "", rule.description, "",
      "severity:   \(rule.severity.rawValue)\(rule.enabled ? "" : " (disabled)")",
      "kind:       \(kindText(rule.kind))",
      "streams:    \(rule.streams.map(\.rawValue).joined(separator: ", "))",
      "where:      \(rule.filterText.isEmpty ? "(every event)" : rule.filterText)",
      "group by:   \((["event.account"] + rule.groupBy.map(\.name)).joined(separator: ", "))",
      "suppress:   \(DurationText.text(rule.suppression))",
      "ATT&CK:     \(rule.techniques.joined(separator: ", "))",
    ]
    for condition in rule.conditions { lines.append("condition:  \(conditionText(condition))") }
    if case .sequence(let steps, _) = rule.kind {
      for (index, step) in steps.enumerated() {
        var text = "step \(index + 1):     \(step.name): \(step.filterText.isEmpty ? "(every event)" : step.filterText)"
        if step.count > 1 { text += " ×\(step.count)" }
        if let fields = step.groupBy { text += " (by \(fields.map(\.name).joined(separator: ", ")))" }
        lines.append(text)
      }
    }
    if let tuning = rule.tuning { lines += ["", "tuning: \(tuning)"] }
    if !rule.falsePositives.isEmpty {
      lines += ["", "false positives:"] + rule.falsePositives.map { "  - \($0)" }
    }
    if !rule.references.isEmpty { lines += ["", "references:"] + rule.references.map { "  - \($0)" } }
    lines += ["", "tests: \(rule.tests.map(\.name).joined(separator: "; "))", "source: \(rule.source)"]
    return lines
  }

  static func kindText(_ kind: RuleKind) -> String {
    switch kind {
    case .match: "match"
    case .threshold(let count, let window): "threshold: \(count) within \(DurationText.text(window))"
    case .distinct(let field, let count, let window):
      "distinct: \(count) values of \(field.name) within \(DurationText.text(window))"
    case .newValue(let fields, let lookback, let learning):
      "new value of \(fields.map(\.name).joined(separator: ", ")) (look-back \(DurationText.text(lookback)), "
        + "learning \(DurationText.text(learning)))"
    case .geoVelocity(let velocity):
      "geo-velocity: over \(Int(velocity.maxSpeed)) km/h and \(Int(velocity.minDistance)) km within "
        + DurationText.text(velocity.window)
    case .sequence(let steps, let window): "sequence of \(steps.count) steps within \(DurationText.text(window))"
    case .absence(let window): "absence: no events ingested for \(DurationText.text(window))"
    }
  }

  static func conditionText(_ condition: RuleCondition) -> String {
    switch condition {
    case .inList(let field, let list): "\(field.name) in watchlist \(list)"
    case .notInList(let field, let list): "\(field.name) not in watchlist \(list)"
    case .sameAs(let left, let right): "\(left.name) = \(right.name)"
    case .differentFrom(let left, let right): "\(left.name) ≠ \(right.name)"
    }
  }
}

/// Durations in nanoseconds, as rule files write them.
enum DurationText {
  static func text(_ nanoseconds: Int64) -> String {
    let seconds = nanoseconds / 1_000_000_000
    for (unit, size) in [("d", Int64(86_400)), ("h", 3_600), ("m", 60)] where seconds >= size && seconds % size == 0 {
      return "\(seconds / size)\(unit)"
    }
    return "\(seconds)s"
  }
}
