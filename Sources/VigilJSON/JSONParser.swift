/// A validating RFC 8259 parser that turns UTF-8 bytes into a flat tape of ``JSONNode``s.
///
/// It is iterative (an explicit stack, never recursion), so hostile nesting costs memory bounded by
/// `maxDepth`, not the call stack. Strings are validated as UTF-8 but not decoded; numbers are checked
/// against the grammar but not converted: callers convert only the fields they read.
struct JSONParser: ~Copyable {
  let input: UnsafeBufferPointer<UInt8>
  let maxDepth: Int
  /// Values (tape nodes, 20 bytes each) allowed before the input is refused: `[0,0,…]` would
  /// otherwise cost ten times its size in tape.
  let maxValues: Int
  var position = 0
  var tape: [JSONNode] = []
  /// Tape indices of the open containers.
  var stack: [Int] = []

  init(input: UnsafeBufferPointer<UInt8>, maxDepth: Int, maxValues: Int = .max) {
    self.input = input
    self.maxDepth = maxDepth
    self.maxValues = maxValues
    tape.reserveCapacity(input.count / 8 + 4)
  }

  mutating func parse() throws(JSONError) -> [JSONNode] {
    if input.count >= 3, input[0] == 0xEF, input[1] == 0xBB, input[2] == 0xBF { position = 3 }
    skipWhitespace()
    guard position < input.count else { throw JSONError(position == 0 ? .empty : .unexpectedEnd, at: position) }
    try parseValueSequence()
    skipWhitespace()
    guard position == input.count else { throw JSONError(.trailingContent, at: position) }
    return tape
  }

  // MARK: - Structure

  /// Parses one top-level value, driving containers with the explicit stack: a container's children
  /// are parsed here, one per turn, so nesting never becomes recursion.
  private mutating func parseValueSequence() throws(JSONError) {
    try parseValue()
    while let open = stack.last {
      skipWhitespace()
      guard position < input.count else { throw JSONError(.unexpectedEnd, at: position) }
      let isObject = tape[open].kind == .object
      let closer: UInt8 = isObject ? UInt8(ascii: "}") : UInt8(ascii: "]")
      if input[position] == closer {
        position += 1
        close(open)
        continue
      }
      if tape[open].count > 0 {
        guard input[position] == UInt8(ascii: ",") else { throw JSONError(.unexpectedByte, at: position) }
        position += 1
        skipWhitespace()
      }
      if isObject { try parseMemberKey() }
      tape[open].count += 1
      try parseValue()
    }
  }

  private mutating func close(_ open: Int) {
    tape[open].end = UInt32(position)
    tape[open].next = UInt32(tape.count)
    stack.removeLast()
  }

  /// Parses a scalar, or opens a container whose children the loop in `parseValueSequence` parses.
  private mutating func parseValue() throws(JSONError) {
    guard position < input.count else { throw JSONError(.unexpectedEnd, at: position) }
    guard tape.count < maxValues else { throw JSONError(.tooManyValues, at: position) }
    let start = position
    switch input[position] {
    case UInt8(ascii: "{"), UInt8(ascii: "["):
      let isObject = input[position] == UInt8(ascii: "{")
      guard stack.count < maxDepth else { throw JSONError(.tooDeep, at: position) }
      position += 1
      tape.append(
        JSONNode(
          kind: isObject ? .object : .array, hasEscapes: false, start: UInt32(start), end: 0, next: 0, count: 0))
      stack.append(tape.count - 1)
    case UInt8(ascii: "\""):
      try parseString()
    case UInt8(ascii: "t"):
      try parseLiteral("true", kind: .true)
    case UInt8(ascii: "f"):
      try parseLiteral("false", kind: .false)
    case UInt8(ascii: "n"):
      try parseLiteral("null", kind: .null)
    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
      try parseNumber()
    default:
      throw JSONError(.unexpectedByte, at: position)
    }
  }

  /// Parses `"key" :` inside an object and leaves the position at the value.
  private mutating func parseMemberKey() throws(JSONError) {
    guard position < input.count else { throw JSONError(.unexpectedEnd, at: position) }
    guard input[position] == UInt8(ascii: "\"") else { throw JSONError(.unexpectedByte, at: position) }
    try parseString()
    skipWhitespace()
    guard position < input.count else { throw JSONError(.unexpectedEnd, at: position) }
    guard input[position] == UInt8(ascii: ":") else { throw JSONError(.unexpectedByte, at: position) }
    position += 1
    skipWhitespace()
  }

  private mutating func skipWhitespace() {
    while position < input.count {
      switch input[position] {
      case 0x20, 0x0A, 0x0D, 0x09: position += 1
      default: return
      }
    }
  }

  // MARK: - Scalars

  private mutating func parseLiteral(_ word: StaticString, kind: JSONKind) throws(JSONError) {
    let start = position
    let length = word.utf8CodeUnitCount
    guard input.count - position >= length else { throw JSONError(.unexpectedEnd, at: input.count) }
    let expected = UnsafeBufferPointer(start: word.utf8Start, count: length)
    for offset in 0..<length where input[position + offset] != expected[offset] {
      throw JSONError(.unexpectedByte, at: position + offset)
    }
    position += length
    appendScalar(kind, start: start)
  }

  private mutating func appendScalar(_ kind: JSONKind, start: Int, escapes: Bool = false) {
    tape.append(
      JSONNode(
        kind: kind, hasEscapes: escapes, start: UInt32(start), end: UInt32(position),
        next: UInt32(tape.count + 1), count: 0))
  }

  private mutating func parseNumber() throws(JSONError) {
    let start = position
    if input[position] == UInt8(ascii: "-") { position += 1 }
    guard position < input.count else { throw JSONError(.invalidNumber, at: position) }
    if input[position] == UInt8(ascii: "0") {
      position += 1
    } else if isDigit(input[position]) {
      while position < input.count, isDigit(input[position]) { position += 1 }
    } else {
      throw JSONError(.invalidNumber, at: position)
    }
    if position < input.count, input[position] == UInt8(ascii: ".") {
      position += 1
      guard position < input.count, isDigit(input[position]) else { throw JSONError(.invalidNumber, at: position) }
      while position < input.count, isDigit(input[position]) { position += 1 }
    }
    if position < input.count, input[position] | 0x20 == UInt8(ascii: "e") {
      position += 1
      if position < input.count, input[position] == UInt8(ascii: "+") || input[position] == UInt8(ascii: "-") {
        position += 1
      }
      guard position < input.count, isDigit(input[position]) else { throw JSONError(.invalidNumber, at: position) }
      while position < input.count, isDigit(input[position]) { position += 1 }
    }
    appendScalar(.number, start: start)
  }

  @inline(__always) private func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

  private mutating func parseString() throws(JSONError) {
    let start = position
    position += 1
    var escapes = false
    while true {
      // Fast path: plain ASCII that needs no attention.
      while position < input.count {
        let byte = input[position]
        if byte >= 0x20, byte < 0x80, byte != UInt8(ascii: "\""), byte != UInt8(ascii: "\\") {
          position += 1
        } else {
          break
        }
      }
      guard position < input.count else { throw JSONError(.unexpectedEnd, at: position) }
      let byte = input[position]
      switch byte {
      case UInt8(ascii: "\""):
        position += 1
        appendScalar(.string, start: start, escapes: escapes)
        return
      case UInt8(ascii: "\\"):
        escapes = true
        try skipEscape()
      case 0..<0x20:
        throw JSONError(.controlCharacterInString, at: position)
      default:
        try skipUTF8Sequence()
      }
    }
  }

  private mutating func skipEscape() throws(JSONError) {
    position += 1
    guard position < input.count else { throw JSONError(.unexpectedEnd, at: position) }
    switch input[position] {
    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
      UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
      position += 1
    case UInt8(ascii: "u"):
      position += 1
      guard input.count - position >= 4 else { throw JSONError(.invalidEscape, at: position) }
      for _ in 0..<4 {
        guard hexValue(input[position]) != nil else { throw JSONError(.invalidEscape, at: position) }
        position += 1
      }
    default:
      throw JSONError(.invalidEscape, at: position)
    }
  }

  /// Validates one multi-byte UTF-8 sequence (RFC 3629: no overlongs, no surrogates, ≤ U+10FFFF).
  private mutating func skipUTF8Sequence() throws(JSONError) {
    let lead = input[position]
    let length: Int
    var lowerBound: UInt8 = 0x80
    var upperBound: UInt8 = 0xBF
    switch lead {
    case 0xC2...0xDF: length = 2
    case 0xE0: length = 3; lowerBound = 0xA0
    case 0xE1...0xEC, 0xEE...0xEF: length = 3
    case 0xED: length = 3; upperBound = 0x9F
    case 0xF0: length = 4; lowerBound = 0x90
    case 0xF1...0xF3: length = 4
    case 0xF4: length = 4; upperBound = 0x8F
    default: throw JSONError(.invalidUTF8, at: position)
    }
    guard input.count - position >= length else { throw JSONError(.invalidUTF8, at: position) }
    let second = input[position + 1]
    guard second >= lowerBound, second <= upperBound else { throw JSONError(.invalidUTF8, at: position + 1) }
    for offset in 2..<max(2, length) where input[position + offset] & 0xC0 != 0x80 {
      throw JSONError(.invalidUTF8, at: position + offset)
    }
    position += length
  }
}

@inline(__always) func hexValue(_ byte: UInt8) -> UInt8? {
  switch byte {
  case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
  case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
  case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
  default: nil
  }
}
