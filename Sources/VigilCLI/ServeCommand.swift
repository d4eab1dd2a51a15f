import ArgumentParser
import VigilConfig
import VigilDashboards
import VigilRuntime

/// `vigil serve`: the web app alone over the store (another process collects).
struct ServeCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "serve",
    abstract:
      "Serve the web app (dashboards, search, alerts, health, the JSON API) over the store, without collecting.",
    discussion: "Listens where `web.listen` says (default 127.0.0.1:8080). SIGINT or SIGTERM stop it.")

  @OptionGroup var config: ConfigOptions
  @OptionGroup var logging: LoggingOptions

  func run() async throws {
    let logger = logging.bootstrap(label: "vigil.serve")
    var configuration = try config.load()
    configuration.web.enabled = true
    let web = configuration.web
    try await Runtime.serve(configuration, logger: logger) { port in
      say("Vigil web app: \(web.usesTLS ? "https" : "http")://\(web.host):\(port)/")
    }
  }
}
