import VigilBase
import VigilCore
import VigilEventsAPIModel

/// One row per event with every catalog field as a column, named as in queries. Text cells are guarded
/// against spreadsheet formulas; numbers and times are written plainly.
package struct CSVEncoder: EventEncoder {
  package init() {}

  package func header() -> [UInt8] {
    Array((FieldCatalog.fields.map { CSVCell.escape($0.name) }.joined(separator: ",") + "\r\n").utf8)
  }

  package func encode(_ event: CanonicalEvent, into output: inout [UInt8]) {
    var first = true
    for field in FieldCatalog.fields {
      if !first { output.append(UInt8(ascii: ",")) }
      first = false
      guard let value = field.value(event) else { continue }
      switch value {
      case .string(let text): output.append(contentsOf: CSVCell.escape(text).utf8)
      case .integer, .double, .time: output.append(contentsOf: CSVCell.plain(value).utf8)
      }
    }
    output.append(contentsOf: [UInt8(ascii: "\r"), UInt8(ascii: "\n")])
  }
}

/// RFC 4180 cells.
package enum CSVCell {
  /// Quotes when needed; a text starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `'` so that
  /// spreadsheets do not run an attacker's value as a formula.
  package static func escape(_ text: String) -> String {
    var text = text
    if let first = text.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { text = "'" + text }
    guard text.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return text }
    var quoted = "\""
    for character in text {
      if character == "\"" { quoted += "\"\"" } else { quoted.append(character) }
    }
    return quoted + "\""
  }

  /// A value as plain text: numbers as written, times in RFC 3339.
  package static func plain(_ value: FieldValue) -> String {
    switch value {
    case .string(let text): text
    case .integer(let number): String(number)
    case .double(let number): String(number)
    case .time(let time): time.rfc3339
    }
  }
}
