import Logging
import ServiceLifecycle
import UnixSignals
import VigilBase
import VigilConfig
import VigilDashboards
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
    let app = WebApp(settings: configuration.web, store: store, library: library, clock: clock, logger: logger)
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

  /// `vigil serve`: the web app alone over the configured store, until SIGINT or SIGTERM.
  package static func serve(
    _ configuration: VigilConfiguration, clock: any VigilClock = SystemClock(), logger: Logger,
    onRunning: (@Sendable (Int) async -> Void)? = nil
  ) async throws {
    let opened = try StoreOpener.open(configuration.storage)
    defer { opened.close() }
    let service = try webService(configuration, store: opened.store, clock: clock, logger: logger, onRunning: onRunning)
    var groupConfiguration = ServiceGroupConfiguration(
      services: [.init(service: service)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
    groupConfiguration.maximumGracefulShutdownDuration = .seconds(10)
    do {
      try await ServiceGroup(configuration: groupConfiguration).run()
    } catch {
      throw UserError("the web app stopped: \(error)")
    }
  }
}
