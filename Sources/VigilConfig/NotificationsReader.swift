import VigilBase
import VigilCore
import VigilDetection
import VigilYAML
import Yams

/// Reads the `notifications:` section: the notifiers (with where their secrets live) and the routes
/// that choose them by severity and rule.
enum NotificationsReader {
  static let keys = ["notifiers", "routes", "max_attempts", "retry_cap"]
  static let routeKeys = ["notify", "severity", "rules", "except"]
  static let kindKeys: [String: [String]] = [
    "webhook": ["url", "secret_file", "secret_env"],
    "slack": ["url_file", "url_env"],
    "pagerduty": ["routing_key_file", "routing_key_env", "url"],
    "email": [
      "host", "port", "security", "username", "password_file", "password_env", "from", "to", "ca_file", "timeout",
    ],
  ]

  static func read(_ node: Node, reader: inout NodeReader, directory: String) -> NotificationSettings {
    var settings = NotificationSettings()
    guard let keys = reader.mapping(node, what: "notifications", allowed: Self.keys) else { return settings }
    if let value = keys["max_attempts"], let count = reader.count(value, key: "max_attempts", in: 1...1_000) {
      settings.maximumAttempts = count
    }
    if let value = keys["retry_cap"], let seconds = reader.duration(value, key: "retry_cap") {
      settings.retryCap = max(settings.retryBase, seconds)
    }
    if let value = keys["notifiers"] {
      if case .sequence(let items) = value {
        for item in items {
          guard let notifier = readNotifier(item, reader: &reader, directory: directory) else { continue }
          if settings.notifiers.contains(where: { $0.name == notifier.name }) {
            reader.report(item, "notifier name \(notifier.name) is used twice")
          } else {
            settings.notifiers.append(notifier)
          }
        }
      } else {
        reader.report(value, "notifications.notifiers must be a list (each entry starting with `- name: …`)")
      }
    }
    let names = settings.notifiers.map(\.name)
    if let value = keys["routes"] {
      if case .sequence(let items) = value {
        settings.routes = items.compactMap { readRoute($0, names: names, reader: &reader) }
      } else {
        reader.report(value, "notifications.routes must be a list (each entry starting with `- notify: […]`)")
      }
    }
    for notifier in settings.notifiers where !settings.routes.contains(where: { $0.notifiers.contains(notifier.name) })
    {
      reader.problems.append(
        YAMLProblem(
          file: reader.file, line: notifier.line,
          message:
            "notifier \(notifier.name) is in no route: add it to a route's notify list under notifications.routes"))
    }
    return settings
  }

  static func readRoute(_ node: Node, names: [String], reader: inout NodeReader) -> NotificationRoute? {
    guard let keys = reader.mapping(node, what: "a route", allowed: routeKeys) else { return nil }
    guard let notifyNode = keys["notify"] else {
      reader.report(node, "a route needs notify: the names of the notifiers it sends to")
      return nil
    }
    let notify = DetectionReader.list(notifyNode, key: "notify", reader: &reader)
    for name in notify where !names.contains(name) {
      reader.report(notifyNode, "route names notifier \(name), which is not under notifications.notifiers")
    }
    var route = NotificationRoute(notifiers: notify.filter(names.contains))
    if let value = keys["severity"], let text = reader.string(value, key: "severity") {
      if let severity = Severity(rawValue: text) {
        route.minimumSeverity = severity
      } else {
        reader.report(
          value, "severity must be one of \(Severity.allCases.map(\.rawValue).joined(separator: ", ")), not \(text)")
      }
    }
    if let value = keys["rules"] { route.rules = DetectionReader.list(value, key: "rules", reader: &reader) }
    if let value = keys["except"] { route.exceptRules = DetectionReader.list(value, key: "except", reader: &reader) }
    return route
  }

  static func readNotifier(_ node: Node, reader: inout NodeReader, directory: String) -> NotifierSettings? {
    guard case .mapping(let mapping) = node else {
      reader.report(node, "a notifier must be a mapping with name, type and its settings")
      return nil
    }
    let type = mapping["type"].flatMap { reader.string($0, key: "type") }
    guard let type, let allowed = kindKeys[type] else {
      reader.report(
        mapping["type"] ?? node,
        "a notifier needs type: one of \(kindKeys.keys.sorted().joined(separator: ", "))\(type.map { ", not \($0)" } ?? "")"
      )
      return nil
    }
    guard let keys = reader.mapping(node, what: "a \(type) notifier", allowed: ["name", "type"] + allowed),
      let name = keys["name"].flatMap({ reader.string($0, key: "name") }), !name.isEmpty
    else {
      reader.report(node, "a notifier needs a name, which routes refer to")
      return nil
    }
    func secret(_ base: String, required: Bool) -> SecretLocation?? {
      reader.secretLocation(
        base, keys: keys, at: node, owner: "notifier \(name)", required: required, directory: directory)
    }
    func url(_ key: String) -> String? { keys[key].flatMap { reader.destinationURL($0, key: key) } }
    let kind: NotifierSettings.Kind
    switch type {
    case "webhook":
      guard let address = url("url") else {
        if keys["url"] == nil { reader.report(node, "webhook notifier \(name) needs url") }
        return nil
      }
      guard let secret = secret("secret", required: false) else { return nil }
      kind = .webhook(url: address, secret: secret)
    case "slack":
      guard let location = secret("url", required: true), let location else { return nil }
      kind = .slack(url: location)
    case "pagerduty":
      guard let location = secret("routing_key", required: true), let location else { return nil }
      let address = keys["url"] == nil ? NotifierSettings.pagerDutyURL : url("url")
      guard let address else { return nil }
      kind = .pagerDuty(routingKey: location, url: address)
    default:
      guard let email = readEmail(node, keys: keys, name: name, reader: &reader, directory: directory),
        let password = secret("password", required: false)
      else { return nil }
      var settings = email
      settings.password = password
      if settings.username != nil, password == nil {
        reader.report(node, "notifier \(name) has a username but no password_file or password_env")
      }
      kind = .email(settings)
    }
    return NotifierSettings(name: name, kind: kind, line: node.mark?.line)
  }

  static func readEmail(
    _ node: Node, keys: [String: Node], name: String, reader: inout NodeReader, directory: String
  ) -> EmailSettings? {
    guard let host = keys["host"].flatMap({ reader.string($0, key: "host") }),
      let from = keys["from"].flatMap({ reader.string($0, key: "from") }), let toNode = keys["to"]
    else {
      reader.report(node, "email notifier \(name) needs host, from and to")
      return nil
    }
    let to = DetectionReader.list(toNode, key: "to", reader: &reader)
    for address in [from] + to where !isAddress(address) {
      reader.report(node, "email notifier \(name): \(address) is not an email address")
    }
    var security = EmailSettings.Security.starttls
    if let value = keys["security"], let text = reader.string(value, key: "security") {
      if let chosen = EmailSettings.Security(rawValue: text) {
        security = chosen
      } else {
        reader.report(value, "security must be starttls, tls or none, not \(text)")
      }
    }
    if security == .none, !URLPolicy.isLoopback(host: host.lowercased()) {
      reader.report(
        keys["security"], "security: none sends mail in clear text; it is allowed only for a relay on this host")
    }
    var port = security == .tls ? 465 : 587
    if let value = keys["port"], let number = reader.count(value, key: "port", in: 1...65_535) { port = number }
    var settings = EmailSettings(host: host, port: port, from: from, to: to)
    settings.security = security
    settings.username = keys["username"].flatMap { reader.string($0, key: "username") }
    settings.caFile = keys["ca_file"].flatMap { reader.string($0, key: "ca_file") }.map {
      ConfigLoader.resolve($0, in: directory)
    }
    if let value = keys["timeout"], let seconds = reader.duration(value, key: "timeout") { settings.timeout = seconds }
    return settings
  }

  static func isAddress(_ text: String) -> Bool {
    let parts = text.split(separator: "@", omittingEmptySubsequences: false)
    return parts.count == 2 && !parts[0].isEmpty && !parts[1].isEmpty && text.count <= 254
      && text.unicodeScalars.allSatisfy {
        $0.value > 0x20 && $0.value != 0x7F && !"<>(),;:\"[]\\".unicodeScalars.contains($0)
      }
  }
}
