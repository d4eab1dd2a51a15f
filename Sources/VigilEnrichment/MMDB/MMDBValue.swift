/// A decoded MaxMind DB value.
package indirect enum MMDBValue: Hashable, Sendable {
  case string(String)
  case double(Double)
  case float(Float)
  case bytes([UInt8])
  case unsigned(UInt64)
  /// A 128-bit unsigned integer as its high and low halves.
  case unsigned128(high: UInt64, low: UInt64)
  case signed(Int32)
  case bool(Bool)
  case map([String: MMDBValue])
  case array([MMDBValue])

  /// The value at a path of map keys (`["city", "names", "en"]`), if every step is a map.
  package subscript(path: String...) -> MMDBValue? { value(at: path) }

  package func value(at path: [String]) -> MMDBValue? {
    var current = self
    for key in path {
      guard case .map(let map) = current, let next = map[key] else { return nil }
      current = next
    }
    return current
  }

  package var string: String? { if case .string(let value) = self { value } else { nil } }

  package var integer: Int? {
    switch self {
    case .unsigned(let value): Int(exactly: value)
    case .signed(let value): Int(value)
    default: nil
    }
  }

  package var number: Double? {
    switch self {
    case .double(let value): value
    case .float(let value): Double(value)
    case .unsigned(let value): Double(value)
    case .signed(let value): Double(value)
    default: nil
    }
  }
}
