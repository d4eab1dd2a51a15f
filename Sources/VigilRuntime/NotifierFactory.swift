import Logging
import VigilBase
import VigilConfig
import VigilDetection
import VigilDetectionService
import VigilSMTP

/// Builds the configured notifiers: reads their secrets and gives each its transport. A missing
/// secret stops the run before it starts, naming the notifier.
package enum NotifierFactory {
  package static func make(
    _ settings: NotificationSettings, http: any HTTPTransport, clock: any VigilClock, environment: [String: String]
  ) throws(UserError) -> [any Notifier] {
    var notifiers: [any Notifier] = []
    for notifier in settings.notifiers {
      let what = "notifier \(notifier.name)"
      switch notifier.kind {
      case .webhook(let url, let secret):
        let key = try secret.map { location throws(UserError) in
          try SecretSource.read(location, for: what, environment: environment)
        }
        notifiers.append(WebhookNotifier(name: notifier.name, url: url, secret: key, transport: http, clock: clock))
      case .slack(let location):
        let url = try SecretSource.read(location, for: what, environment: environment)
        if let refusal = URLPolicy.refusal(url, allowInsecureHTTP: false) {
          throw UserError("\(what): the Slack webhook URL in \(location) is refused: \(refusal)")
        }
        notifiers.append(SlackNotifier(name: notifier.name, url: url, transport: http))
      case .pagerDuty(let location, let url):
        let key = try SecretSource.read(location, for: what, environment: environment)
        notifiers.append(PagerDutyNotifier(name: notifier.name, url: url, routingKey: key, transport: http))
      case .email(let email):
        var smtp = SMTPClient.Configuration(host: email.host, port: email.port)
        smtp.security = SMTPClient.Security(rawValue: email.security.rawValue) ?? .starttls
        smtp.username = email.username
        smtp.password = try email.password.map { location throws(UserError) in
          try SecretSource.read(location, for: what, environment: environment)
        }
        smtp.caFile = email.caFile
        smtp.timeout = email.timeout
        notifiers.append(
          EmailNotifier(name: notifier.name, from: email.from, to: email.to, transport: SMTPClient(smtp), clock: clock))
      }
    }
    return notifiers
  }
}

extension NotifierFactory {
  /// What `vigil config check` says of a notifier, after reading its secrets (a missing one throws).
  package static func describe(_ notifier: NotifierSettings, environment: [String: String]) throws(UserError)
    -> String
  {
    let what = "notifier \(notifier.name)"
    switch notifier.kind {
    case .webhook(let url, let secret):
      if let secret { _ = try SecretSource.read(secret, for: what, environment: environment) }
      let host = URLPolicy.parts(url)?.host ?? url
      return "\(what): webhook to \(host), " + (secret.map { "signed with the secret in \($0)" } ?? "unsigned")
    case .slack(let location):
      let url = try SecretSource.read(location, for: what, environment: environment)
      if let refusal = URLPolicy.refusal(url, allowInsecureHTTP: false) {
        throw UserError("\(what): the Slack webhook URL in \(location) is refused: \(refusal)")
      }
      return "\(what): Slack webhook at \(URLPolicy.parts(url)?.host ?? "?") (URL from \(location))"
    case .pagerDuty(let location, let url):
      _ = try SecretSource.read(location, for: what, environment: environment)
      return "\(what): PagerDuty Events v2 at \(URLPolicy.parts(url)?.host ?? url) (routing key from \(location))"
    case .email(let email):
      if let password = email.password { _ = try SecretSource.read(password, for: what, environment: environment) }
      let login = email.username.map { ", as \($0)" } ?? ""
      return "\(what): email via \(email.host):\(email.port) (\(email.security.rawValue)\(login)) to "
        + email.to.joined(separator: ", ")
    }
  }
}
