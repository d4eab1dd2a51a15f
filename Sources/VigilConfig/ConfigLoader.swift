import VigilBase
import VigilCollector
import VigilCore
import VigilDashboards
import VigilDetection
import VigilEnrichment
import VigilEventsAPIModel
import VigilYAML
import Yams

/// Reads `vigil.yaml`: every key checked, every problem reported with its line, environment
/// overrides applied (`VIGIL_DATA_DIR`, `VIGIL_STORAGE_URL`, `VIGIL_RETENTION_DAYS`, `VIGIL_POLL_INTERVAL`).
package struct ConfigLoader {
  package var file: String
  package var environment: [String: String]

  package init(file: String, environment: [String: String]) {
    self.file = file
    self.environment = environment
  }

  static let topLevelKeys = [
    "data_dir", "storage", "retention", "collector", "http", "enrichment", "detection", "notifications", "web", "sinks",
    "accounts",
  ]
  static let httpKeys = ["proxy", "ca_file", "verify_tls", "connect_timeout", "request_timeout"]
  static let accountKeys = ["name", "token_file", "token_env", "url", "start", "streams", "api_version"]

  /// Parses and validates `text`, the contents of ``file``.
  package func load(_ text: String) throws(ConfigError) -> VigilConfiguration {
    var reader = NodeReader(file: file)
    let root: Node?
    do {
      root = try Yams.compose(yaml: text)
    } catch let error as YamlError {
      throw ConfigError([YAMLProblem(error, file: file)])
    } catch {
      throw ConfigError([ConfigProblem(file: file, line: nil, message: "cannot read YAML: \(error)")])
    }
    let top = root.flatMap { reader.mapping($0, what: "the configuration", allowed: Self.topLevelKeys) } ?? [:]
    let directory = Self.directory(of: file)

    let dataDirectory =
      environment["VIGIL_DATA_DIR"] ?? top["data_dir"].flatMap { reader.string($0, key: "data_dir") }
      .map { Self.resolve($0, in: directory) } ?? defaultDataDirectory
    var storage = StorageURL.sqlite(path: dataDirectory + "/vigil.db")
    var storagePassword: SecretLocation?
    let storageShape = "use sqlite:///path/to/vigil.db or postgres://USER@HOST:PORT/DATABASE"
    if let node = top["storage"],
      let keys = reader.mapping(node, what: "storage", allowed: ["url", "password_file", "password_env"])
    {
      if let urlNode = keys["url"], let text = reader.string(urlNode, key: "storage.url") {
        if let url = StorageURL(text) {
          storage = url.resolved(in: directory)
        } else {
          reader.report(
            urlNode, "storage.url \(URLText.withoutCredentials(text)) is not a storage URL; \(storageShape)")
        }
      }
      if case .some(let location?) = reader.secretLocation(
        "password", keys: keys, at: node, owner: "storage", required: false, directory: directory)
      {
        storagePassword = location
      }
    }
    if let text = environment["VIGIL_STORAGE_URL"] {
      if let url = StorageURL(text) {
        storage = url
      } else {
        reader.report(
          nil, "VIGIL_STORAGE_URL \(URLText.withoutCredentials(text)) is not a storage URL; \(storageShape)")
      }
    }
    if case .postgres(let text) = storage {
      do {
        _ = try PostgresSettings(url: text)
      } catch {
        reader.report(top["storage"], "storage.url: \(error.description)")
      }
    } else if storagePassword != nil {
      reader.report(top["storage"], "storage.password_file and storage.password_env apply to PostgreSQL only")
    }

    var retention = RetentionPolicy()
    if let node = top["retention"],
      let keys = reader.mapping(node, what: "retention", allowed: ["days"] + EventStream.allCases.map(\.rawValue))
    {
      if let days = keys["days"] { retention.days = reader.days(days, key: "retention.days") }
      for stream in EventStream.allCases {
        if let days = keys[stream.rawValue] {
          retention.perStream[stream] = reader.days(days, key: "retention.\(stream.rawValue)")
        }
      }
    }
    if let text = environment["VIGIL_RETENTION_DAYS"] {
      if let days = Int(text), days >= 1 {
        retention.days = days
      } else {
        reader.report(nil, "VIGIL_RETENTION_DAYS must be a whole number of days (1 or more), not \(text)")
      }
    }

    var collector = CollectorOptions()
    var retentionInterval = RetentionJob.defaultInterval
    if let node = top["collector"],
      let keys = reader.mapping(
        node, what: "collector",
        allowed: [
          "poll_interval", "unauthorized_retry", "retention_interval", "events_per_commit", "commit_interval", "lease",
        ])
    {
      if let value = keys["lease"], let seconds = reader.duration(value, key: "lease") {
        if seconds >= 3 {
          collector.leaseSeconds = seconds
        } else {
          reader.report(value, "collector.lease must be at least 3s: it is renewed every third of its length")
        }
      }
      if let value = keys["events_per_commit"] {
        collector.eventsPerCommit =
          reader.count(value, key: "events_per_commit", in: 1...100_000) ?? collector.eventsPerCommit
      }
      if let value = keys["commit_interval"] {
        collector.secondsPerCommit = reader.duration(value, key: "commit_interval") ?? collector.secondsPerCommit
      }
      if let value = keys["poll_interval"] {
        collector.pollInterval = reader.duration(value, key: "poll_interval") ?? collector.pollInterval
      }
      if let value = keys["unauthorized_retry"] {
        collector.unauthorizedRetry = reader.duration(value, key: "unauthorized_retry") ?? collector.unauthorizedRetry
      }
      if let value = keys["retention_interval"] {
        retentionInterval = reader.duration(value, key: "retention_interval") ?? retentionInterval
      }
    }
    if let text = environment["VIGIL_POLL_INTERVAL"] {
      if let seconds = NodeReader.seconds(text), seconds > 0, seconds <= NodeReader.longestDuration {
        collector.pollInterval = seconds
      } else {
        reader.report(nil, "VIGIL_POLL_INTERVAL must be a duration such as 30s or 5m, not \(text)")
      }
    }

    let http = top["http"].map { readHTTP($0, reader: &reader, directory: directory) } ?? HTTPSettings()

    let enrichment = top["enrichment"].map { EnrichmentReader.read($0, reader: &reader, directory: directory) }
    let detection = top["detection"].map { DetectionReader.read($0, reader: &reader, directory: directory) }
    let web = top["web"].map { WebReader.read($0, reader: &reader, directory: directory) }
    let notifications = top["notifications"].map {
      NotificationsReader.read($0, reader: &reader, directory: directory)
    }

    let sinks = top["sinks"].map { SinksReader.read($0, reader: &reader, directory: directory) } ?? []

    var accounts: [AccountConfiguration] = []
    if let node = top["accounts"] {
      if case .sequence(let sequence) = node {
        for item in sequence {
          if let account = readAccount(item, reader: &reader, directory: directory) { accounts.append(account) }
        }
      } else {
        reader.report(node, "accounts must be a list (each entry starting with `- name: …`)")
      }
    }
    if accounts.isEmpty, top["accounts"] != nil || root != nil, reader.problems.isEmpty {
      reader.report(top["accounts"], "no accounts: add at least one under `accounts:` with a name and a token_file")
    } else if root == nil {
      reader.report(nil, "the file is empty: add `accounts:` with at least one account")
    }
    var seen: [String: Int?] = [:]
    for account in accounts {
      if let line = seen[account.name] {
        reader.problems.append(
          ConfigProblem(
            file: file, line: account.line,
            message: "account name \(account.name) is used twice (first at line \(line.map(String.init) ?? "?"))"))
      }
      seen[account.name] = account.line
    }
    guard reader.problems.isEmpty else { throw ConfigError(reader.problems) }
    var configuration = VigilConfiguration(
      dataDirectory: dataDirectory, storage: storage, retention: retention, accounts: accounts)
    configuration.storagePassword = storagePassword
    configuration.collector = collector
    configuration.retentionInterval = retentionInterval
    configuration.http = http
    configuration.enrichment = enrichment ?? EnrichmentSettings()
    configuration.detection = detection ?? DetectionSettings()
    configuration.notifications = notifications ?? NotificationSettings()
    configuration.web = web ?? WebSettings()
    configuration.sinks = sinks
    return configuration
  }

  private func readAccount(_ node: Node, reader: inout NodeReader, directory: String) -> AccountConfiguration? {
    guard let keys = reader.mapping(node, what: "an account", allowed: Self.accountKeys) else { return nil }
    let line = node.mark?.line
    guard let nameNode = keys["name"], let name = reader.string(nameNode, key: "name") else {
      reader.report(node, "an account needs a name (letters, digits, `-`, `_`, `.`)")
      return nil
    }
    guard !name.isEmpty, name.count <= 64, name.unicodeScalars.allSatisfy(Self.isNameCharacter) else {
      reader.report(nameNode, "account name \(name) may only use letters, digits, `-`, `_` and `.` (at most 64)")
      return nil
    }
    let tokenFile = keys["token_file"].flatMap { reader.string($0, key: "token_file") }
    let tokenEnv = keys["token_env"].flatMap { reader.string($0, key: "token_env") }
    let token: AccountConfiguration.TokenLocation
    switch (tokenFile, tokenEnv) {
    case (let path?, nil): token = .file(Self.resolve(path, in: directory))
    case (nil, let variable?): token = .environment(variable)
    case (.some, .some):
      reader.report(node, "account \(name) has both token_file and token_env; keep one")
      return nil
    case (nil, nil):
      reader.report(node, "account \(name) needs token_file (a file holding the bearer token) or token_env")
      return nil
    }
    var account = AccountConfiguration(name: name, token: token)
    account.line = line
    if let urlNode = keys["url"], let url = reader.string(urlNode, key: "url") {
      if url.hasPrefix("https://") || url.hasPrefix("http://") {
        if let refusal = URLPolicy.refusal(url, allowInsecureHTTP: false) {
          reader.report(urlNode, "url \(URLText.withoutCredentials(url)): \(refusal)")
        }
        account.url = url.hasSuffix("/") ? String(url.dropLast()) : url
      } else {
        reader.report(urlNode, "url \(url) must start with https:// (for example https://events.1password.com)")
      }
    }
    if let startNode = keys["start"], let text = reader.string(startNode, key: "start") {
      if let start = Timestamp(rfc3339: text) ?? Timestamp(rfc3339: text + "T00:00:00Z") {
        account.start = start
      } else {
        reader.report(startNode, "start \(text) is not a date; write 2026-08-01 or 2026-08-01T00:00:00Z")
      }
    }
    if let streamsNode = keys["streams"] {
      if case .sequence(let items) = streamsNode {
        var streams: [EventStream] = []
        for item in items {
          guard let text = reader.string(item, key: "streams") else { continue }
          if let stream = EventStream(rawValue: text) {
            streams.append(stream)
          } else {
            let hint = nearest(text, in: EventStream.allCases.map(\.rawValue)).map { " (did you mean \($0)?)" } ?? ""
            reader.report(item, "unknown stream \(text)\(hint); streams are signinattempts, itemusages, auditevents")
          }
        }
        account.streams = streams
      } else {
        reader.report(streamsNode, "streams must be a list, e.g. [signinattempts, itemusages, auditevents]")
      }
    }
    if let versionNode = keys["api_version"], let text = reader.string(versionNode, key: "api_version") {
      switch text {
      case "v1", "1": account.apiVersion = .v1
      case "v2", "2": account.apiVersion = .v2
      default: reader.report(versionNode, "api_version must be v1 or v2, not \(text)")
      }
    }
    return account
  }

  /// `http:`: the proxy (else `HTTPS_PROXY`), extra trusted certificates, TLS verification, timeouts.
  private func readHTTP(_ node: Node, reader: inout NodeReader, directory: String) -> HTTPSettings {
    var settings = HTTPSettings()
    guard let keys = reader.mapping(node, what: "http", allowed: Self.httpKeys) else { return settings }
    if let value = keys["proxy"], let text = reader.string(value, key: "http.proxy") {
      if text.hasPrefix("http://") {
        settings.proxy = text
      } else if text.hasPrefix("https://") {
        reader.report(value, "http.proxy: an https:// proxy is not supported; use the proxy's http:// address")
      } else {
        reader.report(value, "http.proxy must look like http://host:port (with user:password@ if needed)")
      }
    }
    if let value = keys["ca_file"], let path = reader.string(value, key: "http.ca_file") {
      settings.caFile = Self.resolve(path, in: directory)
    }
    if let value = keys["verify_tls"], let text = reader.string(value, key: "http.verify_tls") {
      switch text {
      case "true", "yes": settings.verifyTLS = true
      case "false", "no": settings.verifyTLS = false
      default: reader.report(value, "http.verify_tls must be true or false, not \(text)")
      }
    }
    if let value = keys["connect_timeout"] {
      settings.connectTimeout = reader.duration(value, key: "http.connect_timeout") ?? settings.connectTimeout
    }
    if let value = keys["request_timeout"] {
      settings.requestTimeout = reader.duration(value, key: "http.request_timeout") ?? settings.requestTimeout
    }
    return settings
  }

  private static func isNameCharacter(_ scalar: Unicode.Scalar) -> Bool {
    (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z") || (scalar >= "0" && scalar <= "9")
      || scalar == "-" || scalar == "_" || scalar == "."
  }

  /// `$XDG_DATA_HOME/vigil`, else `$HOME/.local/share/vigil`, else `./vigil-data`.
  package var defaultDataDirectory: String {
    if let xdg = environment["XDG_DATA_HOME"], xdg.hasPrefix("/") { return xdg + "/vigil" }
    if let home = environment["HOME"], home.hasPrefix("/") { return home + "/.local/share/vigil" }
    return "vigil-data"
  }

  static func directory(of file: String) -> String {
    guard let slash = file.lastIndex(of: "/") else { return "." }
    return slash == file.startIndex ? "/" : String(file[..<slash])
  }

  /// Relative paths in the file are relative to the file's own directory.
  static func resolve(_ path: String, in directory: String) -> String {
    var relative = Substring(path)
    while relative.hasPrefix("./") { relative = relative.dropFirst(2) }
    if path.hasPrefix("/") || directory == "." { return path }
    return relative.isEmpty || relative == "." ? directory : directory + "/" + relative
  }

}

extension StorageURL {
  func resolved(in directory: String) -> StorageURL {
    if case .sqlite(let path) = self { return .sqlite(path: ConfigLoader.resolve(path, in: directory)) }
    return self
  }
}
