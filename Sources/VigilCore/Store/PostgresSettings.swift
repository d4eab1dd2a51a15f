/// Where a PostgreSQL store lives and how to reach it, from `storage.url`
/// (`postgres://USER@HOST:PORT/DATABASE?sslmode=verify-full&sslrootcert=/path/ca.pem`).
///
/// The password never comes from the URL's text in a config file a user would share: the runtime
/// passes it from `storage.password_file` or `storage.password_env` (a password written in the URL
/// is accepted for a quick test, and never printed: ``description`` hides it).
package struct PostgresSettings: Hashable, Sendable, CustomStringConvertible {
  /// How the connection is protected. `verifyFull` (the default) checks the server's certificate
  /// against the system's roots or `sslrootcert`, and its name against the host.
  package enum TLSMode: String, Hashable, Sendable, CaseIterable {
    case disable
    case require
    case verifyFull = "verify-full"
  }

  package var host: String
  package var port: Int
  package var user: String
  package var password: String?
  package var database: String
  package var tls: TLSMode
  /// A PEM file of the certificate authorities to trust instead of the system's.
  package var rootCertificate: String?
  /// Connections the store keeps open at most.
  package var maximumConnections: Int

  package init(
    host: String, port: Int = 5432, user: String, password: String? = nil, database: String,
    tls: TLSMode = .verifyFull, rootCertificate: String? = nil, maximumConnections: Int = 8
  ) {
    self.host = host
    self.port = port
    self.user = user
    self.password = password
    self.database = database
    self.tls = tls
    self.rootCertificate = rootCertificate
    self.maximumConnections = maximumConnections
  }

  /// Reads a `postgres://` or `postgresql://` URL; throws what is wrong with it.
  package init(url text: String) throws(PostgresURLError) {
    var rest = Substring(text)
    if rest.hasPrefix("postgres://") {
      rest = rest.dropFirst("postgres://".count)
    } else if rest.hasPrefix("postgresql://") {
      rest = rest.dropFirst("postgresql://".count)
    } else {
      throw .notPostgres
    }
    var query = Substring("")
    if let mark = rest.firstIndex(of: "?") {
      query = rest[rest.index(after: mark)...]
      rest = rest[..<mark]
    }
    var path = Substring("")
    if let slash = rest.firstIndex(of: "/") {
      path = rest[rest.index(after: slash)...]
      rest = rest[..<slash]
    }
    var user = "postgres"
    var password: String?
    if let at = rest.lastIndex(of: "@") {
      let credentials = rest[..<at]
      rest = rest[rest.index(after: at)...]
      if let colon = credentials.firstIndex(of: ":") {
        user = try Self.decoded(credentials[..<colon], part: "user")
        password = try Self.decoded(credentials[credentials.index(after: colon)...], part: "password")
      } else {
        user = try Self.decoded(credentials, part: "user")
      }
    }
    var host = rest
    var port = 5432
    if host.hasPrefix("[") {
      // [::1]:5432
      guard let close = host.firstIndex(of: "]") else { throw .invalid("host", String(host)) }
      let after = host[host.index(after: close)...]
      host = host[host.index(after: host.startIndex)..<close]
      if after.hasPrefix(":") {
        guard let number = Int(after.dropFirst()), (1...65535).contains(number) else {
          throw .invalid("port", String(after.dropFirst()))
        }
        port = number
      }
    } else if let colon = host.lastIndex(of: ":") {
      guard let number = Int(host[host.index(after: colon)...]), (1...65535).contains(number) else {
        throw .invalid("port", String(host[host.index(after: colon)...]))
      }
      port = number
      host = host[..<colon]
    }
    guard !host.isEmpty else { throw .missing("host") }
    let database = try Self.decoded(path, part: "database")
    guard !database.isEmpty else { throw .missing("database") }
    self.init(host: String(host), port: port, user: user, password: password, database: database)
    for pair in query.split(separator: "&") where !pair.isEmpty {
      let parts = pair.split(separator: "=", maxSplits: 1)
      let key = String(parts[0])
      let value = try Self.decoded(parts.count > 1 ? parts[1] : "", part: key)
      switch key {
      case "sslmode":
        guard let mode = TLSMode(rawValue: value) else { throw .invalid("sslmode", value) }
        tls = mode
      case "sslrootcert": rootCertificate = value
      case "pool_max":
        guard let number = Int(value), (1...200).contains(number) else { throw .invalid("pool_max", value) }
        maximumConnections = number
      default: throw .unknownParameter(key)
      }
    }
  }

  /// The URL without its password.
  package var description: String {
    var text = "postgres://\(user)@\(host.contains(":") ? "[\(host)]" : host):\(port)/\(database)"
    text += "?sslmode=\(tls.rawValue)"
    if let rootCertificate { text += "&sslrootcert=\(rootCertificate)" }
    if maximumConnections != 8 { text += "&pool_max=\(maximumConnections)" }
    return text
  }

  private static func decoded(_ text: Substring, part: String) throws(PostgresURLError) -> String {
    var bytes: [UInt8] = []
    var utf8 = Array(text.utf8)[...]
    while let byte = utf8.popFirst() {
      guard byte == UInt8(ascii: "%") else {
        bytes.append(byte)
        continue
      }
      guard utf8.count >= 2, let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16) else {
        throw .invalid(part, "a % not followed by two hex digits")
      }
      bytes.append(value)
      utf8 = utf8.dropFirst(2)
    }
    guard let decoded = String(validating: bytes, as: UTF8.self) else { throw .invalid(part, "not UTF-8") }
    return decoded
  }
}

/// What is wrong with a `storage.url` that names PostgreSQL.
package enum PostgresURLError: Error, Hashable, Sendable, CustomStringConvertible {
  case notPostgres
  case missing(String)
  case invalid(String, String)
  case unknownParameter(String)

  package var description: String {
    let shape = "postgres://USER@HOST:PORT/DATABASE?sslmode=verify-full"
    return switch self {
    case .notPostgres: "a PostgreSQL storage url starts with postgres:// (\(shape))"
    case .missing(let part): "the PostgreSQL storage url has no \(part) (\(shape))"
    case .invalid("sslmode", let value):
      "sslmode \(value) is not supported; use verify-full (the default), require or disable"
    case .invalid(let part, let value): "the PostgreSQL storage url's \(part) is not valid (\(value))"
    case .unknownParameter(let key):
      "the PostgreSQL storage url has an unknown parameter \(key); known: sslmode, sslrootcert, pool_max"
    }
  }
}
