import VigilBase
import VigilEventsAPIModel

/// Faults the emulator injects into paging responses, each at its own rate, for tests and demos.
/// Spec: comma-separated `kind=rate`, kinds `500 502 503 504 slow reset truncate invalid empty`,
/// plus `slow-seconds=N` (default 2). Example: `503=0.05,reset=0.02,truncate=0.02,empty=0.1`.
package struct FaultPlan: Hashable, Sendable {
  package enum Kind: String, CaseIterable, Sendable {
    case status500 = "500"
    case status502 = "502"
    case status503 = "503"
    case status504 = "504"
    case slow, reset, truncate, invalid
    /// An empty page with `has_more: true` (the API documents that this can happen).
    case empty
  }

  package var rates: [Kind: Double] = [:]
  package var slowSeconds: Double = 2

  package init() {}

  package init(spec: String) throws(FaultSpecError) {
    for part in spec.split(separator: ",") {
      let pair = part.split(separator: "=", maxSplits: 1).map { String($0).trimmingWhitespace }
      guard pair.count == 2, let value = Double(pair[1]), value >= 0 else { throw .malformed(String(part)) }
      if pair[0] == "slow-seconds" {
        guard value <= 60 else { throw .malformed(String(part)) }
        slowSeconds = value
        continue
      }
      guard let kind = Kind(rawValue: pair[0]) else { throw .unknownKind(pair[0]) }
      guard value <= 1 else { throw .malformed(String(part)) }
      rates[kind] = value
    }
  }

  package var isEmpty: Bool { rates.values.allSatisfy { $0 == 0 } }

  /// Draws at most one fault for a request.
  package func draw(using random: inout SeededGenerator) -> Kind? {
    let roll = Double.random(in: 0..<1, using: &random)
    var cumulative = 0.0
    for kind in Kind.allCases {
      cumulative += rates[kind] ?? 0
      if roll < cumulative { return kind }
    }
    return nil
  }
}

package enum FaultSpecError: Error, Equatable, Sendable, CustomStringConvertible {
  case malformed(String)
  case unknownKind(String)

  package var description: String {
    switch self {
    case .malformed(let part): "fault spec '\(part)' is not kind=rate with a rate between 0 and 1"
    case .unknownKind(let kind):
      "unknown fault '\(kind)': use \(FaultPlan.Kind.allCases.map(\.rawValue).joined(separator: ", ")) or slow-seconds"
    }
  }
}
