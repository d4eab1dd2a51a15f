import VigilBase
import VigilCore

/// The `notifications:` section: where alerts go, and which alerts go where.
package struct NotificationSettings: Hashable, Sendable {
  package var notifiers: [NotifierSettings] = []
  package var routes: [NotificationRoute] = []
  /// Attempts before a notification is given up (and shown as failed in `vigil status`).
  package var maximumAttempts = 12
  /// Seconds: the first retry waits about `retryBase`, each next one twice as long, at most `retryCap`.
  package var retryBase: Double = 5
  package var retryCap: Double = 600
  /// Seconds a handled notification (delivered, skipped or failed) stays in the outbox for `vigil status`.
  package var keepHandled: Double = 30 * 86_400

  package init() {}

  /// The notifiers that `alert` goes to: every route it matches, each notifier once, in the order
  /// the routes name them.
  package func notifiers(for alert: AlertRecord) -> [String] {
    var chosen: [String] = []
    for route in routes where route.matches(alert) {
      for name in route.notifiers where !chosen.contains(name) { chosen.append(name) }
    }
    return chosen
  }
}

/// Which alerts a route sends, and to which notifiers.
package struct NotificationRoute: Hashable, Sendable {
  package var notifiers: [String]
  /// The least severity sent (`severity: high` sends high and critical).
  package var minimumSeverity: Severity = .info
  /// Only these rules, when given.
  package var rules: [String]?
  /// Never these rules.
  package var exceptRules: [String] = []

  package init(notifiers: [String]) { self.notifiers = notifiers }

  package func matches(_ alert: AlertRecord) -> Bool {
    guard alert.severity >= minimumSeverity, !exceptRules.contains(alert.rule) else { return false }
    return rules.map { $0.contains(alert.rule) } ?? true
  }
}

/// One notifier, as configured.
package struct NotifierSettings: Hashable, Sendable {
  package enum Kind: Hashable, Sendable {
    /// JSON to `url`, signed with HMAC-SHA256 when a secret is given.
    case webhook(url: String, secret: SecretLocation?)
    /// A Slack incoming webhook; its URL is a secret.
    case slack(url: SecretLocation)
    /// PagerDuty Events API v2.
    case pagerDuty(routingKey: SecretLocation, url: String)
    case email(EmailSettings)
  }

  package var name: String
  package var kind: Kind
  /// Where it was written (for messages).
  package var line: Int?

  package init(name: String, kind: Kind, line: Int? = nil) {
    self.name = name
    self.kind = kind
    self.line = line
  }

  package static let pagerDutyURL = "https://events.pagerduty.com/v2/enqueue"
}

/// An SMTP relay and the message's addresses.
package struct EmailSettings: Hashable, Sendable {
  package enum Security: String, Hashable, Sendable, CaseIterable {
    /// Plain connection upgraded with STARTTLS; refused if the server does not offer it.
    case starttls
    /// TLS from the first byte (port 465).
    case tls
    /// No encryption: only for a relay on this host.
    case none
  }

  package var host: String
  package var port: Int
  package var security: Security = .starttls
  package var username: String?
  package var password: SecretLocation?
  package var from: String
  package var to: [String]
  /// PEM certificates trusted in place of the system's (a private relay).
  package var caFile: String?
  /// Seconds for connecting and for each reply.
  package var timeout: Double = 30

  package init(host: String, port: Int, from: String, to: [String]) {
    self.host = host
    self.port = port
    self.from = from
    self.to = to
  }
}
