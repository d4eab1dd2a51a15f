import VigilBase
import VigilCore
import VigilQuery

/// The time-range picker's state, kept in the query string (`?last=7d`, or `?from=…&to=…`) so that a URL
/// shows the same page to whoever opens it.
package struct TimeWindow: Hashable, Sendable {
  /// `last`: a span back from now (`24h`, `7d`); `from`/`to`: any form the query language takes.
  package var last: String?
  package var from: String?
  package var to: String?

  /// The picker's choices.
  package static let choices = ["1h", "24h", "7d", "30d", "90d"]
  package static let standard = TimeWindow(last: "24h")

  package init(last: String? = nil, from: String? = nil, to: String? = nil) {
    self.last = last
    self.from = from
    self.to = to
  }

  /// From request parameters; anything unreadable falls back to the last 24 hours (and says so).
  package init(parameters: [String: String]) {
    let from = parameters["from"].flatMap { $0.isEmpty ? nil : String($0.prefix(64)) }
    let to = parameters["to"].flatMap { $0.isEmpty ? nil : String($0.prefix(64)) }
    if from != nil || to != nil {
      self.init(from: from, to: to)
    } else {
      self.init(last: parameters["last"].map { String($0.prefix(16)) } ?? "24h")
    }
  }

  /// The range in event time; nil when a value cannot be read.
  package func resolved(now: Int64) -> TimeRange? {
    if let last {
      guard let duration = TimeExpression.duration(last), duration > 0 else { return nil }
      return TimeRange(from: now - duration, to: now)
    }
    var range = TimeRange.all
    if let from {
      guard let value = Self.instant(from, now: now) ?? TimeExpression.range(from, now: now)?.from else {
        return nil
      }
      range.from = value
    }
    if let to {
      guard let value = Self.instant(to, now: now) ?? TimeExpression.range(to, now: now)?.to else { return nil }
      range.to = value
    }
    return range
  }

  /// An instant in any form the query language reads; an RFC 3339 time outside the years it covers
  /// (1900 to 2200) is taken as the nearest end of them.
  static func instant(_ text: String, now: Int64) -> Int64? {
    if let value = TimeExpression.instant(text, now: now) { return value }
    guard text.count <= 64, let time = Timestamp(rfc3339: text) else { return nil }
    return time.seconds < 0 ? TimeExpression.earliest : TimeExpression.latest
  }

  /// The range to query: the window, or the last 24 hours when it cannot be read.
  package func range(now: Int64) -> TimeRange {
    resolved(now: now) ?? TimeWindow.standard.resolved(now: now) ?? .all
  }

  /// The parameters that reproduce this window.
  package var parameters: [(String, String)] {
    if let last { return [("last", last)] }
    return [("from", from), ("to", to)].compactMap { name, value in value.map { (name, $0) } }
  }
}

/// Builds the app's URLs: a filtered search over the current window.
package struct LinkBuilder: Sendable {
  package var window: TimeWindow

  package init(window: TimeWindow) { self.window = window }

  package func search(_ query: String) -> String {
    "/search?" + URLQuery.encode([("q", query)] + window.parameters)
  }

  /// The filter of a query: everything before its first `|` outside quotes.
  package static func filterPart(_ query: String) -> String {
    var quoted = false
    var escaped = false
    for index in query.indices {
      let character = query[index]
      if escaped {
        escaped = false
      } else if character == "\\" {
        escaped = true
      } else if character == "\"" {
        quoted.toggle()
      } else if character == "|", !quoted {
        return String(query[..<index]).trimmingSpaces
      }
    }
    return query.trimmingSpaces
  }

  /// The longest value a drill-down link filters on; longer ones get no link (a URL stays short).
  package static let longestLinkedValue = 256

  /// `field:"value"` with the value quoted for the query language; an absent value is `-field:*`; nil
  /// for a value too long to link.
  package static func term(field: String, value: FieldValue?) -> String? {
    guard let value else { return "-\(field):*" }
    let text = CellText.text(value)
    guard text.count <= longestLinkedValue else { return nil }
    let escaped = text.replacingAll("\\", with: "\\\\").replacingAll("\"", with: "\\\"")
    return "\(field):\"\(escaped)\""
  }
}

extension String {
  var trimmingSpaces: String {
    String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
  }

  func replacingAll(_ target: Character, with replacement: String) -> String {
    var out = ""
    for character in self { if character == target { out += replacement } else { out.append(character) } }
    return out
  }
}

/// Percent-encoding for query strings: everything but the unreserved characters of RFC 3986.
package enum URLQuery {
  package static func encode(_ items: [(String, String)]) -> String {
    items.map { escape($0.0) + "=" + escape($0.1) }.joined(separator: "&")
  }

  package static func escape(_ text: String) -> String {
    var out = ""
    for byte in text.utf8 {
      switch byte {
      case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
        UInt8(ascii: "0")...UInt8(ascii: "9"),
        UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
        out.unicodeScalars.append(Unicode.Scalar(byte))
      default:
        let hex = Array("0123456789ABCDEF")
        out += "%" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 15)])
      }
    }
    return out
  }

  /// Decodes `a=1&b=two+words` (form and query-string encoding); the last value of a repeated name wins.
  /// Bounded: at most 64 names, each value at most 16 KiB.
  package static func decode(_ text: some StringProtocol) -> [String: String] {
    var result: [String: String] = [:]
    for pair in text.split(separator: "&", omittingEmptySubsequences: true).prefix(64) {
      let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      let name = unescape(parts[0])
      let value = parts.count > 1 ? unescape(parts[1]) : ""
      result[name] = String(value.prefix(16 * 1024))
    }
    return result
  }

  static func unescape(_ text: some StringProtocol) -> String {
    var bytes: [UInt8] = []
    var iterator = Array(text.utf8).makeIterator()
    while let byte = iterator.next() {
      switch byte {
      case UInt8(ascii: "+"): bytes.append(UInt8(ascii: " "))
      case UInt8(ascii: "%"):
        guard let high = iterator.next(), let low = iterator.next(),
          let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
        else { continue }
        bytes.append(value)
      default: bytes.append(byte)
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}
