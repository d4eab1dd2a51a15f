/// Appends compact JSON to a byte buffer. Callers emit structure in order; the writer handles commas
/// and string escaping (every control character, quote and backslash; everything else verbatim).
package struct JSONWriter: Sendable {
  package private(set) var bytes: [UInt8] = []
  /// One flag per open container: whether it already has a member, so the next needs a comma.
  private var needsComma: [Bool] = []
  /// Set after a key, so the value that follows takes no comma.
  private var afterKey = false

  package init(capacity: Int = 256) { bytes.reserveCapacity(capacity) }

  private mutating func beginValue() {
    if afterKey {
      afterKey = false
      return
    }
    if let last = needsComma.last {
      if last { bytes.append(UInt8(ascii: ",")) }
      needsComma[needsComma.count - 1] = true
    }
  }

  package mutating func beginObject() {
    beginValue()
    bytes.append(UInt8(ascii: "{"))
    needsComma.append(false)
  }

  package mutating func endObject() {
    bytes.append(UInt8(ascii: "}"))
    needsComma.removeLast()
  }

  package mutating func beginArray() {
    beginValue()
    bytes.append(UInt8(ascii: "["))
    needsComma.append(false)
  }

  package mutating func endArray() {
    bytes.append(UInt8(ascii: "]"))
    needsComma.removeLast()
  }

  package mutating func key(_ name: String) {
    beginValue()
    appendString(name)
    bytes.append(UInt8(ascii: ":"))
    afterKey = true
  }

  package mutating func string(_ value: String) {
    beginValue()
    appendString(value)
  }

  package mutating func int(_ value: Int) {
    beginValue()
    bytes.append(contentsOf: String(value).utf8)
  }

  /// Writes a finite double in its shortest round-tripping form; non-finite values become null.
  package mutating func double(_ value: Double) {
    beginValue()
    guard value.isFinite else {
      bytes.append(contentsOf: "null".utf8)
      return
    }
    bytes.append(contentsOf: value.description.utf8)
  }

  package mutating func bool(_ value: Bool) {
    beginValue()
    bytes.append(contentsOf: (value ? "true" : "false").utf8)
  }

  package mutating func null() {
    beginValue()
    bytes.append(contentsOf: "null".utf8)
  }

  /// Inserts already-valid JSON (for example an event's verbatim raw bytes) as one value.
  package mutating func raw<Bytes: Sequence<UInt8>>(_ json: Bytes) {
    beginValue()
    bytes.append(contentsOf: json)
  }

  /// Convenience: `"key": "value"`, skipped when value is nil.
  package mutating func field(_ name: String, _ value: String?) {
    guard let value else { return }
    key(name)
    string(value)
  }

  package mutating func field(_ name: String, _ value: Int?) {
    guard let value else { return }
    key(name)
    int(value)
  }

  package mutating func field(_ name: String, _ value: Double?) {
    guard let value else { return }
    key(name)
    double(value)
  }

  package mutating func field(_ name: String, _ value: Bool?) {
    guard let value else { return }
    key(name)
    bool(value)
  }

  private static let hexDigits = Array("0123456789abcdef".utf8)

  private mutating func appendString(_ value: String) {
    bytes.append(UInt8(ascii: "\""))
    var value = value
    value.withUTF8 { appendEscaped($0) }
    bytes.append(UInt8(ascii: "\""))
  }

  /// Copies runs that need no escaping in one go; escapes quotes, backslashes and control characters.
  private mutating func appendEscaped(_ utf8: UnsafeBufferPointer<UInt8>) {
    var runStart = 0
    for index in utf8.indices {
      let byte = utf8[index]
      guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
      if runStart < index { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index])) }
      runStart = index + 1
      switch byte {
      case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
      case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
      case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
      case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
      case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
      default:
        bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
        bytes.append(Self.hexDigits[Int(byte >> 4)])
        bytes.append(Self.hexDigits[Int(byte & 0xF)])
      }
    }
    if runStart < utf8.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...])) }
  }
}
