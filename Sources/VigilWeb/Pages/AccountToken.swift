import VigilBase

/// What the health page shows of an account's token: never the token, only its claims.
package struct AccountToken: Sendable, Hashable {
  package var account: String
  /// The API host the token is for (or the configured `url`).
  package var host: String
  package var features: [String]
  package var expiresAt: Timestamp?
  /// Why the token cannot be used (unreadable, malformed), when it cannot.
  package var problem: String?

  package init(account: String, host: String, features: [String], expiresAt: Timestamp?, problem: String? = nil) {
    self.account = account
    self.host = host
    self.features = features
    self.expiresAt = expiresAt
    self.problem = problem
  }

  /// `expired`, `expires in 12 days`, `no expiry`.
  func expiry(now: Timestamp) -> String {
    guard let expiresAt else { return "no expiry" }
    let days = (expiresAt.epochSeconds - now.epochSeconds) / 86_400
    if days < 0 { return "expired " + expiresAt.rfc3339 }
    return "expires in \(Int(days)) days (\(expiresAt.rfc3339))"
  }
}
