/// A token pasted where a path or a variable name belongs must not be repeated by the error that
/// says the path does not exist. Anything shaped like a JWT (three base64url parts, long enough) is
/// shown as a placeholder instead.
package enum TokenLookalike {
  package static let placeholder = "<a bearer token, redacted>"

  package static func matches(_ text: some StringProtocol) -> Bool {
    guard text.utf8.count >= 30 else { return false }
    var dots = 0
    for byte in text.utf8 {
      switch byte {
      case UInt8(ascii: "."): dots += 1
      case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "="):
        continue
      default: return false
      }
    }
    return dots == 2
  }

  /// `text`, or the placeholder when it (or its last path component: a relative `token_file` is
  /// resolved against the configuration's directory) looks like a token.
  package static func shown(_ text: String) -> String {
    let trimmed = text.trimmingWhitespace
    if matches(trimmed) { return placeholder }
    if let slash = trimmed.lastIndex(of: "/"), matches(trimmed[trimmed.index(after: slash)...]) {
      return String(trimmed[...slash]) + placeholder
    }
    return text
  }

  /// True when ``shown(_:)`` hides something.
  package static func hides(_ text: String) -> Bool { shown(text) != text }
}
