import VigilEventsAPIModel

/// Which streams an account collects: the one rule `vigil collect`, `vigil run` and `vigil config
/// check` share.
package enum StreamSelection {
  /// The configured streams; else every stream the token's features grant; else (a legacy token
  /// with no features, or features that name no stream) every stream, so that what the API refuses
  /// shows up as a failing stream in `vigil status` instead of silently collecting nothing.
  package static func streams(configured: [EventStream]?, token: EventsToken) -> [EventStream] {
    if let configured { return configured }
    let granted = token.streams
    return granted.isEmpty ? EventStream.allCases : granted
  }

  /// Selected streams the token's features do not grant (none when the token names no features).
  package static func ungranted(configured: [EventStream]?, token: EventsToken) -> [EventStream] {
    guard !token.features.isEmpty else { return [] }
    return streams(configured: configured, token: token).filter { !token.features.contains($0.feature) }
  }
}
