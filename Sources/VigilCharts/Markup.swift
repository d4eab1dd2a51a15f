import VigilBase

/// The one escaper for everything Vigil renders as HTML or SVG. Event fields are attacker-controlled:
/// every value passes through here, whether it lands in text, an attribute or a URL.
package enum Markup {
  /// The longest text from an event a page or chart shows; longer values are cut with an ellipsis.
  package static let longestText = 200

  /// Text or attribute content: `&`, `<`, `>`, `"` and `'` become entities, and control and format
  /// characters (bidi overrides, zero-width joiners) become U+FFFD, so they cannot reorder what a reader
  /// sees. Safe inside element text and inside quoted attributes.
  package static func escape(_ text: some StringProtocol) -> String {
    let utf8 = text.utf8
    // Most of what a page shows is plain ASCII with nothing to replace: no copy, no scalar properties.
    if utf8.allSatisfy({ asciiEntity($0) == nil && $0 >= 0x20 && $0 < 0x7F }) { return String(text) }
    var out: [UInt8] = []
    out.reserveCapacity(utf8.count + 16)
    if utf8.allSatisfy({ $0 < 0x80 }) {
      for byte in utf8 { appendASCII(byte, to: &out) }
      return String(decoding: out, as: UTF8.self)
    }
    for scalar in text.unicodeScalars {
      if scalar.isASCII {
        appendASCII(UInt8(scalar.value), to: &out)
      } else {
        out.append(contentsOf: (Printable.isUnsafe(scalar) ? "\u{FFFD}" : scalar).utf8)
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// The entity for one of the five characters markup gives meaning to.
  @inline(__always)
  private static func asciiEntity(_ byte: UInt8) -> StaticString? {
    switch byte {
    case UInt8(ascii: "&"): "&amp;"
    case UInt8(ascii: "<"): "&lt;"
    case UInt8(ascii: ">"): "&gt;"
    case UInt8(ascii: "\""): "&quot;"
    case UInt8(ascii: "'"): "&#39;"
    default: nil
    }
  }

  /// An ASCII character escaped: an entity, itself, or U+FFFD for a control character (as for others).
  private static func appendASCII(_ byte: UInt8, to out: inout [UInt8]) {
    if let entity = asciiEntity(byte) {
      entity.withUTF8Buffer { out.append(contentsOf: $0) }
    } else if byte >= 0x20 && byte < 0x7F {
      out.append(byte)
    } else {
      out.append(contentsOf: [0xEF, 0xBF, 0xBD])
    }
  }

  /// A value from an event, cut to `limit` characters, escaped.
  package static func value(_ text: some StringProtocol, limit: Int = longestText) -> String {
    escape(truncated(text, limit: limit))
  }

  /// `text` cut to `limit` characters with an ellipsis (not escaped).
  package static func truncated(_ text: some StringProtocol, limit: Int) -> String {
    // No more bytes than the limit means no more characters: skip counting grapheme clusters.
    guard text.utf8.count > limit, text.count > limit else { return String(text) }
    return String(text.prefix(max(limit - 1, 0))) + "…"
  }

  /// A number for SVG coordinates: at most one decimal, no exponent, no locale.
  package static func number(_ value: Double) -> String {
    guard value.isFinite else { return "0" }
    let tenths = (value * 10).rounded()
    guard abs(tenths) < 1e15 else { return "0" }
    let whole = Int64(tenths)
    let sign = whole < 0 ? "-" : ""
    let magnitude = whole.magnitude
    return magnitude % 10 == 0 ? "\(sign)\(magnitude / 10)" : "\(sign)\(magnitude / 10).\(magnitude % 10)"
  }

  /// A count for people: `1234567` → `1,234,567`; fractions keep two decimals.
  package static func count(_ value: Double) -> String {
    guard value.isFinite else { return "–" }
    if value.rounded() != value {
      let hundredths = Int64((value * 100).rounded())
      let fraction = hundredths.magnitude % 100
      return count(Double(hundredths / 100)) + "." + (fraction < 10 ? "0" : "") + "\(fraction)"
    }
    guard abs(value) < 1e15 else { return "\(value)" }
    let whole = Int64(value)
    var digits = String(whole.magnitude)
    var groups: [Substring] = []
    while digits.count > 3 {
      groups.insert(digits.suffix(3), at: 0)
      digits = String(digits.dropLast(3))
    }
    groups.insert(Substring(digits), at: 0)
    return (whole < 0 ? "-" : "") + groups.joined(separator: ",")
  }

  /// A short count for axis labels: 950, 1.2k, 3.4M.
  package static func short(_ value: Double) -> String {
    let magnitude = abs(value)
    if magnitude >= 1e9 { return number(value / 1e9) + "G" }
    if magnitude >= 1e6 { return number(value / 1e6) + "M" }
    if magnitude >= 1e3 { return number(value / 1e3) + "k" }
    return number(value)
  }
}
