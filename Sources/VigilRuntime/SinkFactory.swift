import Foundation
import Logging
import VigilBase
import VigilConfig
import VigilCore
import VigilForwarder
import VigilQuery
import VigilSinks

/// Builds each configured sink's service: reads its secrets, gives it a connection and compiles its
/// filter. A missing secret or unreadable certificate stops the run before it starts, naming the sink.
package enum SinkFactory {
  package static func services(
    _ configuration: VigilConfiguration, store: any VigilStore, http: any HTTPTransport, clock: any VigilClock,
    environment: [String: String], logger: Logger
  ) throws(UserError) -> [SinkService] {
    var services: [SinkService] = []
    for sink in configuration.sinks {
      var settings = SinkService.Settings()
      settings.backoff = Backoff(base: 1, cap: sink.retryCap)
      let selection: SinkSelection
      do {
        let filter = try sink.filter.map { text throws(QueryError) in try QueryParser.parse(text, now: 0).filter }
        selection = try SinkSelection.of(filter)
      } catch let error as QueryError {
        throw UserError("sink \(sink.name): filter is not a valid query: \(error)")
      } catch {
        throw UserError("sink \(sink.name): \(error)")
      }
      guard !selection.alerts || sink.takesAlerts else {
        throw UserError(
          "sink \(sink.name) cannot take the alerts stream: remove stream:alerts from its filter, or forward alerts "
            + "through another sink")
      }
      services.append(
        SinkService(
          name: sink.name,
          connection: try connection(sink, http: http, clock: clock, environment: environment),
          selection: selection, batch: sink.batch, store: store, settings: settings, clock: clock, logger: logger))
    }
    return services
  }

  /// The machine's name, for syslog's HOSTNAME and Splunk's host when not configured.
  static var hostname: String { ProcessInfo.processInfo.hostName }

  static func connection(
    _ sink: SinkSettings, http: any HTTPTransport, clock: any VigilClock, environment: [String: String]
  ) throws(UserError) -> any SinkConnection {
    let what = "sink \(sink.name)"
    func secret(_ location: SecretLocation) throws(UserError) -> String {
      try SecretSource.read(location, for: what, environment: environment)
    }
    func headers(_ list: [SinkSettings.Header]) throws(UserError) -> [(String, String)] {
      var headers: [(String, String)] = []
      for header in list {
        switch header.value {
        case .literal(let value): headers.append((header.name, value))
        case .secret(let location): headers.append((header.name, try secret(location)))
        }
      }
      return headers
    }
    switch sink.kind {
    case .elasticsearch(let settings):
      var auth = ElasticsearchDestination.Auth.none
      if let key = settings.apiKey {
        auth = .apiKey(try secret(key))
      } else if let user = settings.username, let password = settings.password {
        auth = .basic(user: user, password: try secret(password))
      }
      return HTTPSinkConnection(
        destination: ElasticsearchDestination(
          url: settings.url, mode: settings.mode, namespace: settings.namespace, auth: auth,
          compress: settings.compress), transport: http)
    case .splunkHEC(let settings):
      let destination = SplunkHECDestination(
        url: settings.url, token: try secret(settings.token), index: settings.index, source: settings.source,
        host: settings.host ?? hostname, compress: settings.compress)
      if settings.acknowledgement {
        return SplunkAcknowledgedConnection(destination: destination, transport: http, clock: clock)
      }
      return HTTPSinkConnection(destination: destination, transport: http)
    case .datadog(let settings):
      let url = settings.url ?? DatadogDestination.sites[settings.site] ?? DatadogDestination.sites["US1"] ?? ""
      return HTTPSinkConnection(
        destination: DatadogDestination(
          url: url, apiKey: try secret(settings.apiKey), service: settings.service,
          hostname: settings.hostname ?? hostname, tags: settings.tags, oldEvents: settings.oldEvents),
        transport: http)
    case .sumologic(let settings):
      let url = try secret(settings.url)
      if let refusal = URLPolicy.refusal(url, allowInsecureHTTP: false) {
        throw UserError("\(what): the Sumo Logic URL in \(settings.url) is refused: \(refusal)")
      }
      return HTTPSinkConnection(
        destination: SumoLogicDestination(
          url: url, category: settings.category, name: settings.sourceName, host: settings.host ?? hostname,
          format: settings.format), transport: http)
    case .sentinel(let settings):
      let request = EntraTokenRequest(
        tenant: settings.tenant, clientID: settings.clientID, clientSecret: try secret(settings.clientSecret),
        authority: settings.authority)
      return HTTPSinkConnection(
        destination: SentinelDestination(endpoint: settings.endpoint, ruleID: settings.ruleID, stream: settings.stream),
        transport: http, tokens: EntraTokens(request: request, transport: http, clock: clock))
    case .syslog(let settings):
      do {
        return try SyslogConnection(settings: settings, hostname: settings.hostname ?? hostname)
      } catch {
        throw UserError("\(what): cannot set up TLS (ca_file, cert_file, key_file): \(error)")
      }
    case .otlp(let settings):
      return HTTPSinkConnection(
        destination: OTLPDestination(
          endpoint: settings.endpoint, headers: try headers(settings.headers), serviceName: settings.serviceName),
        transport: http)
    case .http(let settings):
      return HTTPSinkConnection(
        destination: GenericHTTPDestination(
          url: settings.url, format: settings.format, framing: settings.framing, headers: try headers(settings.headers),
          compress: settings.compress), transport: http)
    case .file(let settings):
      return FileSinkConnection(settings: settings, clock: clock)
    }
  }
}
