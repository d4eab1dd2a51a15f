import VigilDashboards
import VigilYAML
import Yams

/// Reads the `web:` section: listen address, TLS files, users (bcrypt hashes), API tokens (SHA-256
/// hashes), the user's dashboards folder, a separate metrics address, session lifetimes and how long
/// a dashboard panel's result is reused.
enum WebReader {
  static let keys = ["listen", "tls", "users", "api_tokens", "dashboards", "metrics", "session", "panel_cache"]

  static func read(_ node: Node, reader: inout NodeReader, directory: String) -> WebSettings {
    var settings = WebSettings()
    settings.enabled = true
    guard case .mapping = node else {
      // `web:` alone serves with every default.
      if case .scalar(let scalar) = node, ["", "~", "null"].contains(scalar.string) { return settings }
      reader.report(node, "web must be a mapping, e.g. `web: {listen: 127.0.0.1:8080}`")
      return settings
    }
    guard let keys = reader.mapping(node, what: "web", allowed: Self.keys) else { return settings }
    if let value = keys["listen"], let text = reader.string(value, key: "web.listen") {
      if let (host, port) = address(text) {
        settings.host = host
        settings.port = port
      } else {
        reader.report(value, "web.listen must be HOST:PORT, e.g. 127.0.0.1:8080 or [::1]:8080, not \(text)")
      }
    }
    if let value = keys["tls"], let tls = reader.mapping(value, what: "web.tls", allowed: ["cert", "key"]) {
      let cert = tls["cert"].flatMap { reader.string($0, key: "web.tls.cert") }
      let key = tls["key"].flatMap { reader.string($0, key: "web.tls.key") }
      if let cert, let key {
        settings.tlsCertificate = ConfigLoader.resolve(cert, in: directory)
        settings.tlsKey = ConfigLoader.resolve(key, in: directory)
      } else {
        reader.report(value, "web.tls needs both cert and key (PEM files)")
      }
    }
    if let value = keys["users"] {
      settings.users = list(value, key: "web.users", fields: ["name", "password_hash"], reader: &reader).compactMap {
        entry in
        guard entry.secret.hasPrefix("$2a$") || entry.secret.hasPrefix("$2b$") || entry.secret.hasPrefix("$2y$"),
          entry.secret.count == 60
        else {
          reader.report(
            entry.node,
            "web.users \(entry.name): password_hash must be a bcrypt hash; run `vigil user add \(entry.name)`")
          return nil
        }
        return WebSettings.User(name: entry.name, passwordHash: entry.secret)
      }
    }
    if let value = keys["api_tokens"] {
      settings.apiTokens = list(value, key: "web.api_tokens", fields: ["name", "token_hash"], reader: &reader)
        .compactMap { entry in
          let hash = entry.secret.lowercased()
          guard hash.hasPrefix("sha256:"), hash.count == 71,
            hash.dropFirst(7).allSatisfy({ $0.isHexDigit })
          else {
            reader.report(
              entry.node,
              "web.api_tokens \(entry.name): token_hash must be sha256:HEX; run `vigil user token \(entry.name)`")
            return nil
          }
          return WebSettings.APIToken(name: entry.name, tokenHash: hash)
        }
    }
    if let value = keys["dashboards"], let path = reader.string(value, key: "web.dashboards") {
      settings.dashboards = ConfigLoader.resolve(path, in: directory)
    }
    if let value = keys["metrics"], let metrics = reader.mapping(value, what: "web.metrics", allowed: ["listen"]),
      let listen = metrics["listen"], let text = reader.string(listen, key: "web.metrics.listen")
    {
      if let (host, port) = address(text) {
        settings.metricsHost = host
        settings.metricsPort = port
      } else {
        reader.report(listen, "web.metrics.listen must be HOST:PORT, not \(text)")
      }
    }
    if let value = keys["session"],
      let session = reader.mapping(value, what: "web.session", allowed: ["idle", "lifetime"])
    {
      if let idle = session["idle"] {
        settings.idleTimeout = reader.duration(idle, key: "web.session.idle") ?? settings.idleTimeout
      }
      if let lifetime = session["lifetime"] {
        settings.absoluteTimeout = reader.duration(lifetime, key: "web.session.lifetime") ?? settings.absoluteTimeout
      }
    }
    if let value = keys["panel_cache"], let text = reader.string(value, key: "web.panel_cache") {
      if ["off", "0", "0s"].contains(text) {
        settings.panelCacheLifetime = 0
      } else if let seconds = reader.duration(value, key: "web.panel_cache") {
        if seconds <= 3600 {
          settings.panelCacheLifetime = seconds
        } else {
          reader.report(value, "web.panel_cache must be at most 1h (or off), not \(text)")
        }
      }
    }
    return settings
  }

  /// `host:port`, `[v6]:port`.
  static func address(_ text: String) -> (String, Int)? {
    guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
      (0...65_535).contains(port)
    else { return nil }
    var host = String(text[..<colon])
    if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
    guard !host.isEmpty, !host.contains(" ") else { return nil }
    return (host, port)
  }

  struct Entry {
    var name: String
    var secret: String
    var node: Node
  }

  /// A list of `{name, SECRET_FIELD}` mappings; names must be unique.
  static func list(_ node: Node, key: String, fields: [String], reader: inout NodeReader) -> [Entry] {
    guard case .sequence(let items) = node else {
      reader.report(node, "\(key) must be a list of {\(fields.joined(separator: ", "))}")
      return []
    }
    var entries: [Entry] = []
    for item in items {
      guard let keys = reader.mapping(item, what: "an entry of \(key)", allowed: fields),
        let name = keys[fields[0]].flatMap({ reader.string($0, key: fields[0]) }),
        let secret = keys[fields[1]].flatMap({ reader.string($0, key: fields[1]) })
      else {
        reader.report(item, "each entry of \(key) needs \(fields.joined(separator: " and "))")
        continue
      }
      if entries.contains(where: { $0.name == name }) {
        reader.report(item, "\(key): \(name) is listed twice")
        continue
      }
      entries.append(Entry(name: name, secret: secret, node: item))
    }
    return entries
  }
}
