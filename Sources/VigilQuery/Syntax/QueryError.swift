/// A query that cannot run, with where and why: rendered with a caret under the offending character
/// and, for unknown names, the nearest known one.
package struct QueryError: Error, Hashable, Sendable, CustomStringConvertible {
  /// Offset in characters from the start of the query text.
  package var position: Int
  package var message: String
  package var suggestion: String?

  package init(_ message: String, at position: Int, suggestion: String? = nil) {
    self.message = message
    self.position = position
    self.suggestion = suggestion
  }

  package var description: String {
    message + (suggestion.map { " (did you mean \($0)?)" } ?? "") + " at character \(position + 1)"
  }

  /// The query with a `^` under the error's position (long queries are cut around it), then the message.
  package func rendered(in query: String) -> String {
    let characters = Array(query)
    let width = 100
    let start = max(0, min(position - width / 2, characters.count - width))
    let end = min(characters.count, start + width)
    let shown = String(characters[start..<end]).map { $0.isNewline || $0 == "\t" ? " " : $0 }
    let prefix = start > 0 ? "…" : ""
    let caret = String(repeating: " ", count: prefix.count + max(0, position - start)) + "^"
    return "  \(prefix)\(String(shown))\(end < characters.count ? "…" : "")\n  \(caret)\n" + "error: " + message
      + (suggestion.map { " (did you mean \($0)?)" } ?? "")
  }
}
