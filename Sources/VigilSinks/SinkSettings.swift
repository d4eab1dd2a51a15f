import VigilBase
import VigilFormats

/// One sink as `vigil.yaml` describes it under `sinks:`; secrets are named by where they live and read
/// when the sink starts.
package struct SinkSettings: Sendable {
  package var name: String
  package var kind: Kind
  /// A query-language filter: only matching events are sent (`stream:audit_events`, `outcome:failure`).
  package var filter: String?
  /// The user's batch limits; each receiver's own maximums still apply.
  package var batch = Batcher.Limits(events: 1_000, bytes: 1 << 20, seconds: 2)
  /// The longest wait between two tries.
  package var retryCap: Double = 300
  /// Line in the file, for messages.
  package var line: Int?

  package init(name: String, kind: Kind) {
    self.name = name
    self.kind = kind
  }

  package enum Kind: Sendable {
    case elasticsearch(Elasticsearch)
    case splunkHEC(SplunkHEC)
    case datadog(Datadog)
    case sumologic(SumoLogic)
    case sentinel(Sentinel)
    case syslog(Syslog)
    case otlp(OTLP)
    case http(HTTP)
    case file(File)
  }

  /// The `type:` names.
  package static let types = [
    "elasticsearch", "splunk_hec", "datadog", "sumologic", "sentinel", "syslog", "otlp", "http", "file",
  ]

  package var type: String {
    switch kind {
    case .elasticsearch: "elasticsearch"
    case .splunkHEC: "splunk_hec"
    case .datadog: "datadog"
    case .sumologic: "sumologic"
    case .sentinel: "sentinel"
    case .syslog: "syslog"
    case .otlp: "otlp"
    case .http: "http"
    case .file: "file"
    }
  }

  /// Where the sink sends, for listings: a host or a path, never a secret.
  package var destination: String {
    switch kind {
    case .elasticsearch(let settings): URLPolicy.parts(settings.url)?.host ?? settings.url
    case .splunkHEC(let settings): URLPolicy.parts(settings.url)?.host ?? settings.url
    case .datadog(let settings): "Datadog \(settings.site)"
    case .sumologic(let settings): "Sumo Logic (URL from \(settings.url))"
    case .sentinel(let settings): URLPolicy.parts(settings.endpoint)?.host ?? settings.endpoint
    case .syslog(let settings): "\(settings.transport.rawValue)://\(settings.host):\(settings.port)"
    case .otlp(let settings): URLPolicy.parts(settings.endpoint)?.host ?? settings.endpoint
    case .http(let settings): URLPolicy.parts(settings.url)?.host ?? settings.url
    case .file(let settings): settings.path
    }
  }

  /// A header whose value is written in the file or read from a secret.
  package struct Header: Sendable {
    package var name: String
    package var value: Value
    package enum Value: Sendable {
      case literal(String)
      case secret(SecretLocation)
    }
    package init(name: String, value: Value) {
      self.name = name
      self.value = value
    }
  }

  package struct Elasticsearch: Sendable {
    package var url: String
    package var mode: ElasticsearchDestination.Mode = .ecs
    package var namespace = "default"
    package var apiKey: SecretLocation?
    package var username: String?
    package var password: SecretLocation?
    package var compress = true
    package init(url: String) { self.url = url }
  }

  /// Whether the receiver has a place for the alerts stream: Sentinel's data collection rule takes
  /// 1Password's event table only, and a CSV file has event columns.
  package var takesAlerts: Bool {
    switch kind {
    case .sentinel: false
    case .file(let file): file.format != .csv
    default: true
    }
  }

  package struct SplunkHEC: Sendable {
    package var url: String
    package var token: SecretLocation
    package var index: String?
    package var source = "vigil"
    package var host: String?
    /// Indexer acknowledgement: a batch counts as delivered once Splunk says it is indexed.
    package var acknowledgement = false
    package var compress = true
    package init(url: String, token: SecretLocation) {
      self.url = url
      self.token = token
    }
  }

  package struct Datadog: Sendable {
    package var site = "US1"
    package var apiKey: SecretLocation
    package var service = "1password"
    package var hostname: String?
    package var tags: [String] = []
    package var oldEvents = DatadogDestination.OldEvents.attribute
    /// Overrides the site's intake URL (a proxy, or a test receiver).
    package var url: String?
    package init(apiKey: SecretLocation) { self.apiKey = apiKey }
  }

  package struct SumoLogic: Sendable {
    package var url: SecretLocation
    package var category: String?
    package var sourceName: String?
    package var host: String?
    package var format = ExportFormat.raw
    package init(url: SecretLocation) { self.url = url }
  }

  package struct Sentinel: Sendable {
    package var endpoint: String
    package var ruleID: String
    package var stream = "Custom-OnePasswordEventLogs_CL"
    package var tenant: String
    package var clientID: String
    package var clientSecret: SecretLocation
    package var authority = "https://login.microsoftonline.com"
    package init(endpoint: String, ruleID: String, tenant: String, clientID: String, clientSecret: SecretLocation) {
      self.endpoint = endpoint
      self.ruleID = ruleID
      self.tenant = tenant
      self.clientID = clientID
      self.clientSecret = clientSecret
    }
  }

  package struct Syslog: Sendable {
    package enum Transport: String, Sendable, CaseIterable {
      case udp, tcp, tls
    }
    package var host: String
    package var port: Int
    package var transport = Transport.tls
    package var body = SyslogBody.json(.raw)
    package var facility = 13
    package var appName = "vigil"
    package var hostname: String?
    package var caFile: String?
    package var certificateFile: String?
    package var keyFile: String?
    package init(host: String, port: Int) {
      self.host = host
      self.port = port
    }
  }

  package struct OTLP: Sendable {
    package var endpoint: String
    package var headers: [Header] = []
    package var serviceName = "vigil"
    package init(endpoint: String) { self.endpoint = endpoint }
  }

  package struct HTTP: Sendable {
    package var url: String
    package var format = ExportFormat.ecs
    package var framing = GenericHTTPDestination.Framing.ndjson
    package var headers: [Header] = []
    package var compress = false
    package init(url: String) { self.url = url }
  }

  package struct File: Sendable {
    package var path: String
    package var format = ExportFormat.raw
    /// Start a new file past this size (bytes) or age (seconds); nil: never.
    package var rotateBytes: Int?
    package var rotateSeconds: Double?
    package var gzip = false
    package init(path: String) { self.path = path }
  }
}
