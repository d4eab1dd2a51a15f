import Logging
import Prometheus
import ServiceLifecycle
import UnixSignals
import VigilBase
import VigilConfig
import VigilDashboards
import VigilEventsAPIModel
import VigilSinks
import VigilWeb

extension Runtime {
  /// The web app over `store`, with the built-in dashboards and the user's folder.
  static func webService(
    _ configuration: VigilConfiguration, store: any VigilStore, clock: any VigilClock, logger: Logger,
    onRunning: (@Sendable (Int) async -> Void)?
  ) throws -> any Service {
    let library: DashboardLibrary
    do {
      library = try DashboardLibrary.load(folder: configuration.web.dashboards)
    } catch {
      throw UserError("the dashboards cannot be loaded:\n\(error.description)")
    }
    if configuration.web.users.isEmpty {
      logger.warning("web: no users are configured; add one with `vigil user add NAME` (only API tokens can sign in)")
    }
    let registry = RuntimeMetrics.registry
    let app = WebApp(
      settings: configuration.web, store: store, library: library, clock: clock, logger: logger,
      metrics: { registry.emitToBuffer() }, tokens: accountTokens(configuration),
      sinks: configuration.sinks.map(\.name))
    let settings = configuration.web
    do {
      return try WebServer.make(app, logger: logger) { port in
        logger.info(
          "web app listening",
          metadata: ["url": .string((settings.usesTLS ? "https" : "http") + "://\(settings.host):\(port)")])
        await onRunning?(port)
      }
    } catch {
      throw UserError(error.description)
    }
  }

  /// Each account's token claims (features, expiry, host) for the health page; never the token.
  static func accountTokens(_ configuration: VigilConfiguration) -> [AccountToken] {
    configuration.accounts.map { account in
      do {
        let token = try TokenSource.read(account.token)
        let host = account.url ?? token.audienceHost ?? "unknown"
        return AccountToken(account: account.name, host: host, features: token.features, expiresAt: token.expiresAt)
      } catch {
        return AccountToken(
          account: account.name, host: account.url ?? "unknown", features: [], expiresAt: nil,
          problem: "\(error)")
      }
    }
  }

  /// The separate `/metrics` listener, when `web.metrics.listen` names one.
  static func metricsService(_ configuration: VigilConfiguration, logger: Logger) -> (any Service)? {
    guard let host = configuration.web.metricsHost, let port = configuration.web.metricsPort else { return nil }
    let registry = RuntimeMetrics.registry
    logger.info("metrics listening", metadata: ["address": .string("\(host):\(port)")])
    return WebServer.metrics({ registry.emitToBuffer() }, host: host, port: port, logger: logger)
  }

  /// `vigil serve`: the web app alone over the configured store, until SIGINT or SIGTERM.
  package static func serve(
    _ configuration: VigilConfiguration, clock: any VigilClock = SystemClock(), logger: Logger,
    onRunning: (@Sendable (Int) async -> Void)? = nil
  ) async throws {
    let opened = try await StoreOpener.open(configuration.storage, password: configuration.storagePassword)
    defer { opened.close() }
    let service = try webService(configuration, store: opened.store, clock: clock, logger: logger, onRunning: onRunning)
    var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: service)]
    if let metrics = metricsService(configuration, logger: logger) { services.append(.init(service: metrics)) }
    var groupConfiguration = ServiceGroupConfiguration(
      services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
    groupConfiguration.maximumGracefulShutdownDuration = .seconds(10)
    do {
      try await ServiceGroup(configuration: groupConfiguration).run()
    } catch {
      throw UserError("the web app stopped: \(error)")
    }
  }
}
