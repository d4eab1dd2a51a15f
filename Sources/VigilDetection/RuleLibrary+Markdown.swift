import VigilCore
import VigilEventsAPIModel

extension RuleLibrary {
  /// The rules as a Markdown table (`docs/rules.md` holds the built-in pack's; a test keeps it current).
  package func markdownTable() -> String {
    var lines = [
      "| id | title | severity | kind | streams | ATT&CK | on |", "|---|---|---|---|---|---|---|",
    ]
    for rule in rules {
      let cells = [
        "`\(rule.id)`", rule.title, rule.severity.rawValue, rule.kind.name,
        rule.streams.map(\.rawValue).joined(separator: ", "), rule.techniques.joined(separator: ", "),
        rule.enabled ? "yes" : "no",
      ]
      lines.append("| " + cells.map { $0.replacingPipes() }.joined(separator: " | ") + " |")
    }
    return lines.joined(separator: "\n") + "\n"
  }
}

extension String {
  fileprivate func replacingPipes() -> String {
    var result = ""
    for character in self { result += character == "|" ? "\\|" : String(character) }
    return result
  }
}
