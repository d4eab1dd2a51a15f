import VigilCore

/// Rows in COPY's text format (tab between columns, a newline after each row, `\N` for NULL), built
/// straight into bytes: the fastest way into PostgreSQL. Text cannot hold the NUL character, so a NUL
/// in an event's value becomes U+FFFD in its column; the raw JSON, kept as bytes, is unchanged.
struct CopyRows {
  private(set) var bytes: [UInt8] = []
  private var columnsInRow = 0

  init(capacity: Int) { bytes.reserveCapacity(capacity) }

  mutating func endRow() {
    bytes.append(UInt8(ascii: "\n"))
    columnsInRow = 0
  }

  private mutating func separate() {
    if columnsInRow > 0 { bytes.append(UInt8(ascii: "\t")) }
    columnsInRow += 1
  }

  mutating func null() {
    separate()
    bytes.append(UInt8(ascii: "\\"))
    bytes.append(UInt8(ascii: "N"))
  }

  mutating func integer(_ value: Int64) {
    separate()
    bytes.append(contentsOf: String(value).utf8)
  }

  mutating func double(_ value: Double) {
    separate()
    if value.isNaN {
      bytes.append(contentsOf: "NaN".utf8)
    } else if value.isInfinite {
      bytes.append(contentsOf: (value < 0 ? "-Infinity" : "Infinity").utf8)
    } else {
      bytes.append(contentsOf: String(value).utf8)
    }
  }

  mutating func text(_ value: String) {
    separate()
    var value = value
    value.withUTF8 { utf8 in
      var start = 0
      for index in utf8.indices {
        let replacement: [UInt8]
        switch utf8[index] {
        case UInt8(ascii: "\\"): replacement = [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
        case UInt8(ascii: "\n"): replacement = [UInt8(ascii: "\\"), UInt8(ascii: "n")]
        case UInt8(ascii: "\r"): replacement = [UInt8(ascii: "\\"), UInt8(ascii: "r")]
        case UInt8(ascii: "\t"): replacement = [UInt8(ascii: "\\"), UInt8(ascii: "t")]
        case 0: replacement = [0xEF, 0xBF, 0xBD]
        default: continue
        }
        bytes.append(contentsOf: utf8[start..<index])
        bytes.append(contentsOf: replacement)
        start = index + 1
      }
      bytes.append(contentsOf: utf8[start...])
    }
  }

  /// `bytea` in hex (`\x…`, its backslash doubled for COPY).
  mutating func binary<Bytes: Collection<UInt8>>(_ value: Bytes) {
    separate()
    bytes.append(UInt8(ascii: "\\"))
    bytes.append(UInt8(ascii: "\\"))
    bytes.append(UInt8(ascii: "x"))
    let digits = Array("0123456789abcdef".utf8)
    bytes.reserveCapacity(bytes.count + value.count * 2)
    for byte in value {
      bytes.append(digits[Int(byte >> 4)])
      bytes.append(digits[Int(byte & 0x0F)])
    }
  }

  /// A catalog value in its column's type.
  mutating func value(_ value: FieldValue?) {
    switch value {
    case nil: null()
    case .string(let text)?: self.text(text)
    case .integer(let number)?: integer(number)
    case .double(let number)?: double(number)
    case .time(let time)?: integer(FieldValue.nanoseconds(time))
    }
  }
}

extension String {
  /// PostgreSQL text cannot hold NUL.
  var withoutNUL: String {
    guard utf8.contains(0) else { return self }
    return String(unicodeScalars.map { $0 == "\0" ? "\u{FFFD}" : Character($0) })
  }
}
