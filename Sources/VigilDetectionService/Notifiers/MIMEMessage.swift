import Foundation
import VigilBase

/// An RFC 5322 message with a plain-text and an HTML alternative, both base64 (no line of the body
/// can then start with a dot or run past 78 characters). Header values lose CR and LF, so an event
/// field cannot add a header, and non-ASCII subjects are RFC 2047 encoded words.
package struct MIMEMessage: Sendable {
  package var from: String
  package var to: [String]
  package var subject: String
  package var text: String
  package var html: String
  package var date: Date
  package var messageID: String

  package init(from: String, to: [String], subject: String, text: String, html: String, date: Date, messageID: String) {
    self.from = from
    self.to = to
    self.subject = subject
    self.text = text
    self.html = html
    self.date = date
    self.messageID = messageID
  }

  package var bytes: [UInt8] {
    // "=_" never occurs in base64, so no line of a part can look like the boundary.
    let boundary = "=_vigil_alternative"
    var lines = [
      "From: \(Self.headerValue(from))",
      "To: \(to.map(Self.headerValue).joined(separator: ", "))",
      "Subject: \(Self.encodedWords(Self.headerValue(subject)))",
      "Date: \(Self.rfc5322Date(date))",
      "Message-ID: <\(Self.headerValue(messageID))>",
      "MIME-Version: 1.0",
      "Content-Type: multipart/alternative; boundary=\"\(boundary)\"",
      "",
      "--\(boundary)",
      "Content-Type: text/plain; charset=utf-8",
      "Content-Transfer-Encoding: base64",
      "",
    ]
    lines += Self.base64Lines(text)
    lines += ["--\(boundary)", "Content-Type: text/html; charset=utf-8", "Content-Transfer-Encoding: base64", ""]
    lines += Self.base64Lines(html)
    lines += ["--\(boundary)--", ""]
    return Array(lines.joined(separator: "\r\n").utf8)
  }

  /// A header value on one line.
  static func headerValue(_ value: String) -> String {
    String(String.UnicodeScalarView(value.unicodeScalars.map { Printable.isUnsafe($0) ? " " : $0 }))
  }

  /// ASCII as it is; from the word holding the first non-ASCII character on, `=?utf-8?B?…?=` words
  /// of at most 45 bytes, folded.
  static func encodedWords(_ value: String) -> String {
    guard let firstWide = value.firstIndex(where: { !$0.isASCII }) else {
      return value.utf8.count <= 900 ? value : encodedWords(value, from: value.startIndex)
    }
    let literalEnd = value[..<firstWide].lastIndex(of: " ").map { value.index(after: $0) } ?? value.startIndex
    return encodedWords(value, from: literalEnd)
  }

  private static func encodedWords(_ value: String, from start: String.Index) -> String {
    var words: [String] = []
    var chunk: [UInt8] = []
    for character in value[start...] {
      let bytes = Array(String(character).utf8)
      if chunk.count + bytes.count > 45 {
        words.append("=?utf-8?B?\(Data(chunk).base64EncodedString())?=")
        chunk = []
      }
      chunk += bytes
    }
    if !chunk.isEmpty { words.append("=?utf-8?B?\(Data(chunk).base64EncodedString())?=") }
    return String(value[..<start].prefix(200)) + words.joined(separator: "\r\n ")
  }

  static func base64Lines(_ text: String) -> [String] {
    let encoded = Data(text.utf8).base64EncodedString()
    var lines: [String] = []
    var index = encoded.startIndex
    while index < encoded.endIndex {
      let end = encoded.index(index, offsetBy: 76, limitedBy: encoded.endIndex) ?? encoded.endIndex
      lines.append(String(encoded[index..<end]))
      index = end
    }
    return lines
  }

  static func rfc5322Date(_ date: Date) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "UTC")
    formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
    return formatter.string(from: date)
  }
}
