/// The one filter for text that reaches a terminal or a log: event fields, API error bodies, feed
/// problems. Control characters (C0, DEL, C1) and format characters (bidi overrides, zero-width
/// joiners) become U+FFFD, so they can neither move a cursor nor reorder what a reader sees.
package enum Printable {
  package static func text(_ text: some StringProtocol) -> String {
    let string = String(text)
    guard string.unicodeScalars.contains(where: isUnsafe) else { return string }
    return String(String.UnicodeScalarView(string.unicodeScalars.map { isUnsafe($0) ? "\u{FFFD}" : $0 }))
  }

  package static func isUnsafe(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.properties.generalCategory {
    case .control, .format, .lineSeparator, .paragraphSeparator: true
    default: false
    }
  }
}
