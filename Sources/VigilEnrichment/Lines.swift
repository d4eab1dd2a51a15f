import VigilBase

/// Line-by-line reading of text sources with 1-based line numbers. Lines end in LF or CRLF; a line
/// longer than the limit is passed as nil (the caller reports it); blank lines are skipped; invalid
/// UTF-8 is replaced, never trusted.
enum Lines {
  static func forEach(
    _ bytes: [UInt8], maximumLength: Int = FeedParser.maximumLineLength,
    _ body: (Int, String?) throws(SourceError) -> Void
  ) throws(SourceError) {
    var number = 0
    var start = 0
    // A UTF-8 byte-order mark at the start is not part of the first line.
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }
    while start < bytes.count {
      number += 1
      var end = start
      while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
      var lineEnd = end
      if lineEnd > start, bytes[lineEnd - 1] == UInt8(ascii: "\r") { lineEnd -= 1 }
      if lineEnd - start > maximumLength {
        try body(number, nil)
      } else {
        let text = String(decoding: bytes[start..<lineEnd], as: UTF8.self)
        let trimmed = text.trimmingSpaces
        if !trimmed.isEmpty { try body(number, trimmed) }
      }
      start = end + 1
    }
  }

  /// A value quoted for a message: shortened, with control characters made visible.
  static func quoted(_ text: some StringProtocol) -> String {
    let shortened = text.count > 60 ? String(text.prefix(57)) + "…" : String(text)
    return "\"\(Printable.text(shortened))\""
  }
}

extension StringProtocol {
  /// Without leading and trailing spaces and tabs.
  var trimmingSpaces: String {
    var text = Substring(self)
    while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
    while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
    return String(text)
  }
}
