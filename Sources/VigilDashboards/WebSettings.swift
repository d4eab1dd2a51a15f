/// The `web:` section of `vigil.yaml`: where the app listens, who may sign in, which API tokens are
/// valid, and the user's dashboards. Read by the configuration, used by the web server.
package struct WebSettings: Hashable, Sendable {
  package struct User: Hashable, Sendable {
    package var name: String
    /// A bcrypt hash (`$2b$…`), as `vigil user add` writes it.
    package var passwordHash: String

    package init(name: String, passwordHash: String) {
      self.name = name
      self.passwordHash = passwordHash
    }
  }

  package struct APIToken: Hashable, Sendable {
    package var name: String
    /// `sha256:` and the hex SHA-256 of the token (tokens are long random strings: a slow hash adds
    /// nothing but latency to every API call).
    package var tokenHash: String

    package init(name: String, tokenHash: String) {
      self.name = name
      self.tokenHash = tokenHash
    }
  }

  /// Whether `vigil run` serves the app (a `web:` section turns it on).
  package var enabled = false
  package var host = "127.0.0.1"
  package var port = 8080
  /// PEM files; both or neither.
  package var tlsCertificate: String?
  package var tlsKey: String?
  package var users: [User] = []
  package var apiTokens: [APIToken] = []
  /// A folder of the user's own dashboards (YAML).
  package var dashboards: String?
  /// A separate address for `/metrics` without a token (`metrics.listen`).
  package var metricsHost: String?
  package var metricsPort: Int?
  /// Sign-out after this long without a request.
  package var idleTimeout: Double = 30 * 60
  /// Sign-out this long after signing in, whatever happens.
  package var absoluteTimeout: Double = 12 * 3_600
  /// Failed sign-ins allowed per user and per address within `lockoutWindow` before refusing more.
  package var maximumFailures = 5
  package var lockoutWindow: Double = 15 * 60
  /// Seconds a dashboard panel's result is reused for (`panel_cache`); 0 computes every request.
  package var panelCacheLifetime: Double = 60

  package init() {}

  package var usesTLS: Bool { tlsCertificate != nil }
}
