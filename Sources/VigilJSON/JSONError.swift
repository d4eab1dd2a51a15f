/// Why a byte sequence is not a JSON text Vigil accepts, and where.
package struct JSONError: Error, Equatable, Sendable, CustomStringConvertible {
  package enum Reason: String, Sendable {
    case empty = "empty input"
    case unexpectedByte = "unexpected byte"
    case unexpectedEnd = "unexpected end of input"
    case trailingContent = "content after the JSON value"
    case invalidNumber = "invalid number"
    case invalidEscape = "invalid escape sequence"
    case controlCharacterInString = "unescaped control character in string"
    case invalidUTF8 = "invalid UTF-8"
    case tooDeep = "nesting deeper than the limit"
    case tooLarge = "document larger than the limit"
    case tooManyValues = "more values than the limit"
  }

  package var reason: Reason
  /// Byte offset of the problem in the input.
  package var offset: Int

  package init(_ reason: Reason, at offset: Int) {
    self.reason = reason
    self.offset = offset
  }

  package var description: String { "invalid JSON at byte \(offset): \(reason.rawValue)" }
}
