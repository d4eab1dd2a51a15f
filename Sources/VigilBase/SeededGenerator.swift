/// A small, fast, deterministic generator (SplitMix64): the same seed gives the same organisation and
/// the same events on every machine.
package struct SeededGenerator: RandomNumberGenerator, Sendable {
  private var state: UInt64

  package init(seed: UInt64) { state = seed }

  /// A generator for one named purpose (a day, a user, a scenario) derived from a seed, so that
  /// adding users or days does not reshuffle everything else.
  package init(seed: UInt64, purpose: String, index: Int = 0) {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in purpose.utf8 {
      hash ^= UInt64(byte)
      hash = hash &* 0x100_0000_01b3
    }
    state = seed ^ hash ^ (UInt64(bitPattern: Int64(index)) &* 0x9E37_79B9_7F4A_7C15)
    _ = next()
  }

  package mutating func next() -> UInt64 {
    state = state &+ 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// True with probability `p`.
  package mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &self) < p }

  /// Picks from `(value, weight)` pairs.
  package mutating func weighted<T>(_ table: [(T, Double)]) -> T {
    let total = table.reduce(0) { $0 + $1.1 }
    var point = Double.random(in: 0..<total, using: &self)
    for (value, weight) in table {
      if point < weight { return value }
      point -= weight
    }
    return table[table.count - 1].0
  }

  package mutating func pick<T>(_ values: [T]) -> T { values[Int.random(in: 0..<values.count, using: &self)] }
}

/// 1Password's identifiers: 26 base32 characters (not RFC 4122 UUIDs).
package enum Base32ID {
  private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

  package static func make(using generator: inout SeededGenerator, lowercase: Bool = false) -> String {
    var bytes = [UInt8](repeating: 0, count: 26)
    var bits: UInt64 = 0
    for index in 0..<26 {
      if index % 12 == 0 { bits = generator.next() }
      let character = alphabet[Int(bits & 31)]
      bytes[index] = lowercase && character >= UInt8(ascii: "A") ? character | 0x20 : character
      bits >>= 5
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}
