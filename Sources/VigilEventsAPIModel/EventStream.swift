/// The three event streams of the Events API. The raw value is both the endpoint's path component and
/// the token feature that grants it.
package enum EventStream: String, CaseIterable, Sendable, Hashable, Codable {
  case signInAttempts = "signinattempts"
  case itemUsages = "itemusages"
  case auditEvents = "auditevents"

  /// The feature claim (`1password.com/fts`) a token needs for this stream.
  package var feature: String { rawValue }

  package var displayName: String {
    switch self {
    case .signInAttempts: "sign-in attempts"
    case .itemUsages: "item usages"
    case .auditEvents: "audit events"
    }
  }
}

/// Versions of the paging endpoints. v2 adds the MSP fields; 1Password recommends it.
package enum APIVersion: String, CaseIterable, Sendable, Hashable, Codable {
  case v1, v2

  package func path(for stream: EventStream) -> String { "/api/\(rawValue)/\(stream.rawValue)" }
}

/// The introspection endpoints: v2 (snake_case) and the deprecated unversioned one (PascalCase).
package enum IntrospectionPath {
  package static let v2 = "/api/v2/auth/introspect"
  package static let v1 = "/api/auth/introspect"
}
