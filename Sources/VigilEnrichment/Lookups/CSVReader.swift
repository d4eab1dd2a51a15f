/// Reads RFC 4180 CSV (quoted fields, doubled quotes, newlines inside quotes, CRLF or LF) one record at
/// a time, with the line each record starts on. A record over the size limit or an unterminated quote
/// is an error that names its line.
package struct CSVReader {
  package struct Record: Hashable, Sendable {
    package var line: Int
    package var fields: [String]
  }

  static let maximumRecordLength = 64 * 1024
  static let maximumFields = 256

  private let bytes: [UInt8]
  private var position = 0
  private var line = 1

  package init(_ bytes: [UInt8]) {
    self.bytes = bytes
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { position = 3 }
  }

  /// The next record, or nil at the end of the input.
  package mutating func next() throws(SourceError) -> Record? {
    // Skip blank lines between records.
    while position < bytes.count, bytes[position] == UInt8(ascii: "\n") || bytes[position] == UInt8(ascii: "\r") {
      if bytes[position] == UInt8(ascii: "\n") { line += 1 }
      position += 1
    }
    guard position < bytes.count else { return nil }
    let startLine = line
    let start = position
    var fields: [String] = []
    var field: [UInt8] = []
    var quoted = false
    var fieldStarted = false
    while position < bytes.count {
      guard position - start <= Self.maximumRecordLength else {
        throw .tooLarge("the record starting on line \(startLine) is longer than \(Self.maximumRecordLength) bytes")
      }
      let byte = bytes[position]
      position += 1
      if quoted {
        if byte == UInt8(ascii: "\"") {
          if position < bytes.count, bytes[position] == UInt8(ascii: "\"") {
            field.append(byte)
            position += 1
          } else {
            quoted = false
          }
        } else {
          if byte == UInt8(ascii: "\n") { line += 1 }
          field.append(byte)
        }
        continue
      }
      switch byte {
      case UInt8(ascii: "\"") where !fieldStarted:
        quoted = true
        fieldStarted = true
      case UInt8(ascii: ","):
        fields.append(String(decoding: field, as: UTF8.self))
        field.removeAll(keepingCapacity: true)
        fieldStarted = false
        guard fields.count < Self.maximumFields else {
          throw .tooLarge("line \(startLine) has more than \(Self.maximumFields) columns")
        }
      case UInt8(ascii: "\n"):
        line += 1
        if field.last == UInt8(ascii: "\r") { field.removeLast() }
        fields.append(String(decoding: field, as: UTF8.self))
        return Record(line: startLine, fields: fields)
      default:
        field.append(byte)
        fieldStarted = true
      }
    }
    if quoted { throw .unreadable("line \(startLine): a quoted field is not closed") }
    if field.last == UInt8(ascii: "\r") { field.removeLast() }
    fields.append(String(decoding: field, as: UTF8.self))
    return Record(line: startLine, fields: fields)
  }
}
