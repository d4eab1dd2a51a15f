/// Decodes the data section's values with bounded work: nesting depth, number of values and bytes of
/// strings and blobs are all limited per decode, counting every occurrence reached through pointers,
/// so a hostile file (pointer fan-outs, cycles, huge sizes) is an error, never a hang or a crash.
struct MMDBDecoder {
  static let maximumDepth = 64
  static let maximumValues = 65_536
  static let maximumPayload = 2 << 20

  let bytes: [UInt8]
  /// Where the section starts; pointers count from here.
  let base: Int
  /// Where the section ends (exclusive).
  let end: Int

  private(set) var values = 0
  private(set) var payload = 0

  init(bytes: [UInt8], base: Int, end: Int) {
    self.bytes = bytes
    self.base = base
    self.end = end
  }

  /// Decodes the value at `offset` (relative to the section start).
  mutating func decode(at offset: Int) throws(MMDBError) -> MMDBValue {
    var position = offset
    return try decode(&position, depth: 0)
  }

  private mutating func decode(_ position: inout Int, depth: Int) throws(MMDBError) -> MMDBValue {
    guard depth <= Self.maximumDepth else { throw .tooLarge("values nested deeper than \(Self.maximumDepth)") }
    values += 1
    guard values <= Self.maximumValues else { throw .tooLarge("more than \(Self.maximumValues) values") }
    let control = try byte(&position)
    var type = Int(control >> 5)
    if type == 1 {
      var target = try pointer(control, &position)
      // A pointer's target is decoded in place; a pointer to a pointer is not allowed by the format.
      let targetControl = try byte(at: target)
      guard targetControl >> 5 != 1 else { throw .corrupt("a pointer points to a pointer") }
      values -= 1
      return try decode(&target, depth: depth + 1)
    }
    if type == 0 {
      type = 7 + Int(try byte(&position))
      guard type > 7 else { throw .corrupt("extended type \(type) is not an extended type") }
    }
    let size = try self.size(control, &position)
    switch type {
    case 2:
      let raw = try take(size, &position)
      guard let text = String(validating: raw, as: UTF8.self) else { throw .corrupt("a string is not valid UTF-8") }
      return .string(text)
    case 3:
      guard size == 8 else { throw .corrupt("a double of \(size) bytes") }
      return .double(Double(bitPattern: try unsigned(size, &position)))
    case 4: return .bytes(try take(size, &position))
    case 5, 6, 9:
      let limit = type == 5 ? 2 : type == 6 ? 4 : 8
      guard size <= limit else { throw .corrupt("an unsigned integer of \(size) bytes") }
      return .unsigned(try unsigned(size, &position))
    case 8:
      guard size <= 4 else { throw .corrupt("a signed integer of \(size) bytes") }
      let value = try unsigned(size, &position)
      return .signed(size == 4 ? Int32(bitPattern: UInt32(value)) : Int32(value))
    case 10:
      guard size <= 16 else { throw .corrupt("a 128-bit integer of \(size) bytes") }
      let high = size > 8 ? try unsigned(size - 8, &position) : 0
      let low = try unsigned(min(size, 8), &position)
      return .unsigned128(high: high, low: low)
    case 7:
      var map: [String: MMDBValue] = [:]
      guard size <= Self.maximumValues else { throw .tooLarge("a map of \(size) entries") }
      for _ in 0..<size {
        guard case .string(let key) = try decode(&position, depth: depth + 1) else {
          throw .corrupt("a map key is not a string")
        }
        map[key] = try decode(&position, depth: depth + 1)
      }
      return .map(map)
    case 11:
      guard size <= Self.maximumValues else { throw .tooLarge("an array of \(size) entries") }
      var array: [MMDBValue] = []
      for _ in 0..<size { array.append(try decode(&position, depth: depth + 1)) }
      return .array(array)
    case 14:
      guard size <= 1 else { throw .corrupt("a boolean of value \(size)") }
      return .bool(size == 1)
    case 15:
      guard size == 4 else { throw .corrupt("a float of \(size) bytes") }
      return .float(Float(bitPattern: UInt32(try unsigned(size, &position))))
    default:
      throw .corrupt("unknown data type \(type)")
    }
  }

  private func pointer(_ control: UInt8, _ position: inout Int) throws(MMDBError) -> Int {
    let size = Int(control >> 3) & 0x3
    let high = Int(control & 0x7)
    let value: Int
    switch size {
    case 0: value = high << 8 | Int(try unsigned(1, &position))
    case 1: value = (high << 16 | Int(try unsigned(2, &position))) + 2048
    case 2: value = (high << 24 | Int(try unsigned(3, &position))) + 526_336
    default: value = Int(try unsigned(4, &position))
    }
    return value
  }

  private func size(_ control: UInt8, _ position: inout Int) throws(MMDBError) -> Int {
    let size = Int(control & 0x1F)
    switch size {
    case ..<29: return size
    case 29: return 29 + Int(try unsigned(1, &position))
    case 30: return 285 + Int(try unsigned(2, &position))
    default: return 65_821 + Int(try unsigned(3, &position))
    }
  }

  private func byte(_ position: inout Int) throws(MMDBError) -> UInt8 {
    let value = try byte(at: position)
    position += 1
    return value
  }

  private func byte(at position: Int) throws(MMDBError) -> UInt8 {
    let absolute = base + position
    guard position >= 0, absolute < end else { throw .corrupt("an offset past the end of its section") }
    return bytes[absolute]
  }

  private func unsigned(_ count: Int, _ position: inout Int) throws(MMDBError) -> UInt64 {
    var value: UInt64 = 0
    for _ in 0..<count { value = value << 8 | UInt64(try byte(&position)) }
    return value
  }

  private mutating func take(_ count: Int, _ position: inout Int) throws(MMDBError) -> [UInt8] {
    payload += count
    guard payload <= Self.maximumPayload else { throw .tooLarge("more than \(Self.maximumPayload) bytes of values") }
    let start = base + position
    guard position >= 0, count >= 0, start <= end - count else { throw .corrupt("a value runs past its section") }
    position += count
    return Array(bytes[start..<(start + count)])
  }
}
