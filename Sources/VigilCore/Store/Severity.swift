/// How urgent an alert is, lowest first.
package enum Severity: String, CaseIterable, Comparable, Hashable, Sendable, Codable {
  case info, low, medium, high, critical

  package static func < (lhs: Severity, rhs: Severity) -> Bool {
    allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
  }
}
