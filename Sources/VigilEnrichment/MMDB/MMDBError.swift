/// Why a MaxMind DB file cannot be used. Every corruption is one of these, never a crash.
package enum MMDBError: Error, Hashable, Sendable, CustomStringConvertible {
  /// No metadata marker: not a MaxMind DB file (or truncated).
  case notADatabase
  /// The file is a MaxMind DB, but its structure is broken where `detail` says.
  case corrupt(String)
  /// A value would decode to more than the reader allows (a hostile or broken file).
  case tooLarge(String)
  /// A format version this reader does not know.
  case unsupported(String)

  package var description: String {
    switch self {
    case .notADatabase: "not a MaxMind DB file (no metadata section); check the path and re-download it"
    case .corrupt(let detail): "the MaxMind DB file is corrupt (\(detail)); re-download it"
    case .tooLarge(let detail): "the MaxMind DB file holds a value larger than Vigil reads (\(detail))"
    case .unsupported(let detail): "unsupported MaxMind DB file (\(detail))"
    }
  }
}
