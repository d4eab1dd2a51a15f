import VigilBase
import VigilFormats
import VigilQuery
import VigilSinks
import VigilYAML
import Yams

/// Reads the `sinks:` section: a list of destinations, each with a name, a type, its settings (secrets
/// as `*_file` or `*_env`), an optional query-language filter and batch limits.
enum SinksReader {
  static let commonKeys = ["name", "type", "filter", "batch_events", "batch_bytes", "batch_seconds", "retry_cap"]
  static let typeKeys: [String: [String]] = [
    "elasticsearch": [
      "url", "mode", "namespace", "api_key_file", "api_key_env", "username", "password_file", "password_env",
      "compress",
    ],
    "splunk_hec": ["url", "token_file", "token_env", "index", "source", "host", "acknowledgement", "compress"],
    "datadog": ["site", "url", "api_key_file", "api_key_env", "service", "hostname", "tags", "old_events"],
    "sumologic": ["url_file", "url_env", "category", "source_name", "host", "format"],
    "sentinel": [
      "endpoint", "rule_id", "stream", "tenant", "client_id", "client_secret_file", "client_secret_env", "authority",
    ],
    "syslog": [
      "host", "port", "transport", "format", "facility", "app_name", "hostname", "ca_file", "cert_file", "key_file",
    ],
    "otlp": ["endpoint", "headers", "service_name"],
    "http": ["url", "format", "framing", "headers", "compress"],
    "file": ["path", "format", "rotate_bytes", "rotate_every", "gzip"],
  ]

  static func read(_ node: Node, reader: inout NodeReader, directory: String) -> [SinkSettings] {
    guard case .sequence(let items) = node else {
      reader.report(node, "sinks must be a list (each entry starting with `- name: …`)")
      return []
    }
    var sinks: [SinkSettings] = []
    for item in items {
      guard let sink = readSink(item, reader: &reader, directory: directory) else { continue }
      if sinks.contains(where: { $0.name == sink.name }) {
        reader.report(item, "sink name \(sink.name) is used twice")
      } else {
        sinks.append(sink)
      }
    }
    return sinks
  }

  static func readSink(_ node: Node, reader: inout NodeReader, directory: String) -> SinkSettings? {
    guard case .mapping(let mapping) = node else {
      reader.report(node, "a sink must be a mapping with name, type and its settings")
      return nil
    }
    let type = mapping["type"].flatMap { reader.string($0, key: "type") }
    guard let type, let allowed = typeKeys[type] else {
      reader.report(
        mapping["type"] ?? node,
        "a sink needs type: one of \(SinkSettings.types.joined(separator: ", "))\(type.map { ", not \($0)" } ?? "")")
      return nil
    }
    guard let keys = reader.mapping(node, what: "a \(type) sink", allowed: commonKeys + allowed),
      let name = keys["name"].flatMap({ reader.string($0, key: "name") }), Self.isName(name)
    else {
      reader.report(node, "a sink needs a name of letters, digits, - and _ (`vigil sinks retry NAME` uses it)")
      return nil
    }
    var fields = Fields(keys: keys, node: node, sink: name, directory: directory)
    guard let kind = readKind(type, fields: &fields, reader: &reader) else { return nil }
    var sink = SinkSettings(name: name, kind: kind)
    sink.line = node.mark?.line
    if let value = keys["filter"], let text = reader.string(value, key: "filter") {
      do {
        let query = try QueryParser.parse(text, now: 0)
        if !query.stages.isEmpty {
          reader.report(value, "filter must be a filter without pipeline stages (`| …`): \(text)")
        } else if let selection = try? SinkSelection.of(query.filter) {
          sink.filter = text
          if selection.alerts, !sink.takesAlerts {
            reader.report(
              value,
              "sink \(name) cannot take the alerts stream (stream:alerts): "
                + "a Sentinel rule's stream is 1Password's event table, and a CSV file has event columns")
          }
        } else {
          reader.report(value, "filter: \(SelectionError())")
        }
      } catch {
        reader.report(value, "filter is not a valid query: \(error.rendered(in: text))")
      }
    }
    if let value = keys["batch_events"], let count = reader.count(value, key: "batch_events", in: 1...100_000) {
      sink.batch.events = count
    }
    if let value = keys["batch_bytes"], let count = reader.count(value, key: "batch_bytes", in: 1_024...(64 << 20)) {
      sink.batch.bytes = count
    }
    if let value = keys["batch_seconds"], let seconds = reader.duration(value, key: "batch_seconds") {
      sink.batch.seconds = seconds
    }
    if let value = keys["retry_cap"], let seconds = reader.duration(value, key: "retry_cap") {
      sink.retryCap = max(1, seconds)
    }
    return sink
  }

  static func isName(_ text: String) -> Bool {
    !text.isEmpty && text.count <= 64
      && text.unicodeScalars.allSatisfy {
        $0.properties.isASCIIHexDigit || ("a"..."z").contains($0)
          || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_"
      }
  }

  // swiftlint:disable:next function_body_length
  static func readKind(_ type: String, fields: inout Fields, reader: inout NodeReader) -> SinkSettings.Kind? {
    switch type {
    case "elasticsearch":
      guard let url = fields.url("url", reader: &reader) else { return nil }
      var settings = SinkSettings.Elasticsearch(url: url)
      if let mode = fields.choice("mode", ElasticsearchDestination.Mode.self, reader: &reader) { settings.mode = mode }
      if let namespace = fields.string("namespace", reader: &reader) {
        if namespace.isEmpty || namespace.count > 100
          || namespace.contains(where: { "-\\/*?\"<>| ,#:".contains($0) || $0.isUppercase })
        {
          reader.report(fields.node, "namespace \(namespace) is not a valid data stream namespace (lower case, no -)")
        } else {
          settings.namespace = namespace
        }
      }
      guard let apiKey = fields.secret("api_key", required: false, reader: &reader),
        let password = fields.secret("password", required: false, reader: &reader)
      else { return nil }
      settings.apiKey = apiKey
      settings.username = fields.string("username", reader: &reader)
      settings.password = password
      if settings.username != nil, password == nil {
        reader.report(fields.node, "sink \(fields.sink) has a username but no password_file or password_env")
      }
      if let compress = fields.bool("compress", reader: &reader) { settings.compress = compress }
      return .elasticsearch(settings)
    case "splunk_hec":
      guard let url = fields.url("url", reader: &reader),
        let token = fields.secret("token", required: true, reader: &reader), let token
      else { return nil }
      var settings = SinkSettings.SplunkHEC(url: url, token: token)
      settings.index = fields.string("index", reader: &reader)
      if let source = fields.string("source", reader: &reader) { settings.source = source }
      settings.host = fields.string("host", reader: &reader)
      if let acknowledgement = fields.bool("acknowledgement", reader: &reader) {
        settings.acknowledgement = acknowledgement
      }
      if let compress = fields.bool("compress", reader: &reader) { settings.compress = compress }
      return .splunkHEC(settings)
    case "datadog":
      guard let key = fields.secret("api_key", required: true, reader: &reader), let key else { return nil }
      var settings = SinkSettings.Datadog(apiKey: key)
      if let site = fields.string("site", reader: &reader) {
        if DatadogDestination.sites[site.uppercased()] != nil {
          settings.site = site.uppercased()
        } else {
          reader.report(
            fields.node, "site must be one of \(DatadogDestination.sites.keys.sorted().joined(separator: ", "))")
        }
      }
      if fields.keys["url"] != nil { settings.url = fields.url("url", reader: &reader) }
      if let service = fields.string("service", reader: &reader) { settings.service = service }
      settings.hostname = fields.string("hostname", reader: &reader)
      if let tags = fields.keys["tags"] { settings.tags = DetectionReader.list(tags, key: "tags", reader: &reader) }
      if let policy = fields.choice("old_events", DatadogDestination.OldEvents.self, reader: &reader) {
        settings.oldEvents = policy
      }
      return .datadog(settings)
    case "sumologic":
      guard let url = fields.secret("url", required: true, reader: &reader), let url else { return nil }
      var settings = SinkSettings.SumoLogic(url: url)
      settings.category = fields.string("category", reader: &reader)
      settings.sourceName = fields.string("source_name", reader: &reader)
      settings.host = fields.string("host", reader: &reader)
      if let format = fields.jsonFormat(reader: &reader) { settings.format = format }
      return .sumologic(settings)
    case "sentinel":
      guard let endpoint = fields.url("endpoint", reader: &reader),
        let rule = fields.required("rule_id", reader: &reader), let tenant = fields.required("tenant", reader: &reader),
        let client = fields.required("client_id", reader: &reader),
        let secret = fields.secret("client_secret", required: true, reader: &reader), let secret
      else { return nil }
      var settings = SinkSettings.Sentinel(
        endpoint: endpoint, ruleID: rule, tenant: tenant, clientID: client, clientSecret: secret)
      if let stream = fields.string("stream", reader: &reader) { settings.stream = stream }
      if fields.keys["authority"] != nil, let authority = fields.url("authority", reader: &reader) {
        settings.authority = authority
      }
      return .sentinel(settings)
    case "syslog":
      guard let host = fields.required("host", reader: &reader) else { return nil }
      var transport = SinkSettings.Syslog.Transport.tls
      if let chosen = fields.choice("transport", SinkSettings.Syslog.Transport.self, reader: &reader) {
        transport = chosen
      }
      var port = transport == .tls ? 6514 : 514
      if let value = fields.keys["port"], let number = reader.count(value, key: "port", in: 1...65_535) {
        port = number
      }
      var settings = SinkSettings.Syslog(host: host, port: port)
      settings.transport = transport
      if transport != .tls, !URLPolicy.isLoopback(host: host.lowercased()) {
        reader.report(
          fields.keys["transport"] ?? fields.node,
          "sink \(fields.sink): transport \(transport.rawValue) sends events in clear text; it is allowed only to "
            + "this host (use tls)")
      }
      if let text = fields.string("format", reader: &reader) {
        if text == "cef" {
          settings.body = .cef
        } else if let format = ExportFormat(rawValue: text), format != .csv {
          settings.body = .json(format)
        } else {
          reader.report(fields.keys["format"], "format must be raw, ecs, ocsf or cef, not \(text)")
        }
      }
      if let text = fields.string("facility", reader: &reader) {
        if let code = SyslogMessage.facilities[text] {
          settings.facility = code
        } else {
          reader.report(
            fields.keys["facility"], "facility must be one of local0…local7, auth, security, …, not \(text)")
        }
      }
      if let appName = fields.string("app_name", reader: &reader) { settings.appName = appName }
      settings.hostname = fields.string("hostname", reader: &reader)
      settings.caFile = fields.path("ca_file", reader: &reader)
      settings.certificateFile = fields.path("cert_file", reader: &reader)
      settings.keyFile = fields.path("key_file", reader: &reader)
      if (settings.certificateFile == nil) != (settings.keyFile == nil) {
        reader.report(fields.node, "sink \(fields.sink): cert_file and key_file go together")
      }
      return .syslog(settings)
    case "otlp":
      guard let endpoint = fields.url("endpoint", reader: &reader) else { return nil }
      var settings = SinkSettings.OTLP(endpoint: endpoint)
      settings.headers = fields.headers(reader: &reader)
      if let service = fields.string("service_name", reader: &reader) { settings.serviceName = service }
      return .otlp(settings)
    case "http":
      guard let url = fields.url("url", reader: &reader) else { return nil }
      var settings = SinkSettings.HTTP(url: url)
      if let format = fields.jsonFormat(reader: &reader) { settings.format = format }
      if let framing = fields.choice("framing", GenericHTTPDestination.Framing.self, reader: &reader) {
        settings.framing = framing
      }
      settings.headers = fields.headers(reader: &reader)
      if let compress = fields.bool("compress", reader: &reader) { settings.compress = compress }
      return .http(settings)
    default:
      guard let path = fields.path("path", reader: &reader) else {
        reader.report(fields.node, "file sink \(fields.sink) needs path")
        return nil
      }
      var settings = SinkSettings.File(path: path)
      if let text = fields.string("format", reader: &reader) {
        if let format = ExportFormat(rawValue: text) {
          settings.format = format
        } else {
          reader.report(fields.keys["format"], "format must be raw, ecs, ocsf or csv, not \(text)")
        }
      }
      if let value = fields.keys["rotate_bytes"],
        let bytes = reader.count(value, key: "rotate_bytes", in: 1_024...Int(Int32.max))
      {
        settings.rotateBytes = bytes
      }
      if let value = fields.keys["rotate_every"], let seconds = reader.duration(value, key: "rotate_every") {
        settings.rotateSeconds = max(1, seconds)
      }
      if let gzip = fields.bool("gzip", reader: &reader) { settings.gzip = gzip }
      return .file(settings)
    }
  }

  /// One sink's keys, with the readers every type shares.
  struct Fields {
    let keys: [String: Node]
    let node: Node
    let sink: String
    let directory: String

    func string(_ key: String, reader: inout NodeReader) -> String? {
      keys[key].flatMap { reader.string($0, key: key) }
    }

    func required(_ key: String, reader: inout NodeReader) -> String? {
      guard let text = string(key, reader: &reader), !text.isEmpty else {
        reader.report(node, "sink \(sink) needs \(key)")
        return nil
      }
      return text
    }

    func path(_ key: String, reader: inout NodeReader) -> String? {
      string(key, reader: &reader).map { ConfigLoader.resolve($0, in: directory) }
    }

    func bool(_ key: String, reader: inout NodeReader) -> Bool? {
      guard let value = keys[key], let text = reader.string(value, key: key) else { return nil }
      switch text.lowercased() {
      case "true", "yes", "on": return true
      case "false", "no", "off": return false
      default:
        reader.report(value, "\(key) must be true or false, not \(text)")
        return nil
      }
    }

    func choice<Choice: RawRepresentable & CaseIterable>(_ key: String, _: Choice.Type, reader: inout NodeReader)
      -> Choice? where Choice.RawValue == String
    {
      guard let value = keys[key], let text = reader.string(value, key: key) else { return nil }
      if let choice = Choice(rawValue: text) { return choice }
      reader.report(
        value, "\(key) must be one of \(Choice.allCases.map(\.rawValue).joined(separator: ", ")), not \(text)")
      return nil
    }

    func jsonFormat(reader: inout NodeReader) -> ExportFormat? {
      guard let text = string("format", reader: &reader) else { return nil }
      if let format = ExportFormat(rawValue: text), format != .csv { return format }
      reader.report(keys["format"], "format must be raw, ecs or ocsf, not \(text)")
      return nil
    }

    /// An http(s) URL; plain http only to this host, as for every destination.
    func url(_ key: String, reader: inout NodeReader) -> String? {
      guard let value = keys[key] else {
        reader.report(node, "sink \(sink) needs \(key)")
        return nil
      }
      return reader.destinationURL(value, key: key)
    }

    /// `BASE_file` or `BASE_env`: `.some(nil)` when absent and optional; nil after a problem.
    func secret(_ base: String, required: Bool, reader: inout NodeReader) -> SecretLocation?? {
      reader.secretLocation(base, keys: keys, at: node, owner: "sink \(sink)", required: required, directory: directory)
    }

    /// `headers:` a list of `{name, value}` or `{name, value_file}` / `{name, value_env}` (for tokens).
    func headers(reader: inout NodeReader) -> [SinkSettings.Header] {
      guard let value = keys["headers"] else { return [] }
      guard case .sequence(let items) = value else {
        reader.report(value, "headers must be a list of `- {name: …, value: …}`")
        return []
      }
      var headers: [SinkSettings.Header] = []
      for item in items {
        guard
          let entry = reader.mapping(item, what: "a header", allowed: ["name", "value", "value_file", "value_env"]),
          let name = entry["name"].flatMap({ reader.string($0, key: "name") }),
          !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        else {
          reader.report(item, "a header needs a name of letters, digits and -")
          continue
        }
        if let text = entry["value"].flatMap({ reader.string($0, key: "value") }) {
          headers.append(SinkSettings.Header(name: name, value: .literal(text)))
        } else if let path = entry["value_file"].flatMap({ reader.string($0, key: "value_file") }) {
          headers.append(
            SinkSettings.Header(name: name, value: .secret(.file(ConfigLoader.resolve(path, in: directory)))))
        } else if let variable = entry["value_env"].flatMap({ reader.string($0, key: "value_env") }) {
          headers.append(SinkSettings.Header(name: name, value: .secret(.environment(variable))))
        } else {
          reader.report(item, "header \(name) needs value, value_file or value_env")
        }
      }
      return headers
    }
  }
}
