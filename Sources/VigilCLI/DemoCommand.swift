import ArgumentParser
import EmulatorCore
import Foundation

/// `vigil demo`: everything offline in one command. For now it serves the emulated organisation
/// (30 days, attack scenarios on) and writes a token; collection into a store joins it with the
/// collector.
struct DemoCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "demo", abstract: "Run Vigil offline against an emulated organisation.")

  @Option(help: "Directory for the demo's files (default: a new temporary directory).") var directory: String?
  @Option(help: "Port of the emulated API.") var port = 8787
  @OptionGroup var logging: LoggingOptions

  func run() async throws {
    let logger = logging.bootstrap(label: "vigil.demo")
    let directory =
      self.directory
      ?? FileManager.default.temporaryDirectory
      .appendingPathComponent("vigil-demo-\(ProcessInfo.processInfo.processIdentifier)").path
    do {
      try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    } catch {
      throw CLIError("cannot create \(directory): \(TokenSource.reason(error))")
    }
    var settings = try EmulatorSettings.parse([])
    settings.port = port
    settings.tokenFile = directory + "/demo-token.jwt"
    let engine = try EmulatorHost.makeEngine(settings.options())
    try await EmulatorHost.serve(engine: engine, settings: settings, logger: logger) { url in
      say("Vigil demo: an emulated 1Password Business account (30 days, 200 users, attack scenarios) at \(url)")
      say("Demo files in \(directory). Stop with Ctrl-C.")
    }
  }
}
