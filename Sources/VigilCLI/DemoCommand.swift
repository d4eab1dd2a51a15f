import ArgumentParser
import Emulator
import EmulatorCore
import EventsAPIModel
import Foundation
import Logging
import SQLiteStore
import VigilConfig
import VigilCore

/// `vigil demo`: everything offline in one command. Serves an emulated organisation (30 days,
/// 200 users, attack scenarios on), collects it into a fresh SQLite store and keeps tailing.
struct DemoCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "demo", abstract: "Run Vigil offline: emulate an organisation and collect it into a local store.")

  @Option(help: "Directory for the demo's files (default: a new temporary directory).") var directory: String?
  @Option(help: "Port of the emulated API (taken if free, else any free port).") var port = 8787
  @OptionGroup var logging: LoggingOptions

  func run() async throws {
    var logger = logging.bootstrap(label: "vigil.demo")
    if logging.logLevel == .info { logger.logLevel = .warning }
    let directory = try Self.prepare(
      self.directory
        ?? FileManager.default.temporaryDirectory
        .appendingPathComponent("vigil-demo-\(ProcessInfo.processInfo.processIdentifier)").path)
    let engine = try EmulatorHost.makeEngine(try EmulatorSettings.parse([]).options())
    let emulator: RunningEmulator
    do {
      emulator = try await RunningEmulator.start(engine: engine, port: port, logger: logger)
    } catch {
      emulator = try await RunningEmulator.start(engine: engine, port: 0, logger: logger)
    }
    do {
      try await collect(emulator: emulator, engine: engine, directory: directory, logger: logger)
    } catch {
      await emulator.stop()
      throw error
    }
    await emulator.stop()
    say("Demo stopped; its files stay in \(directory).")
  }

  private func collect(emulator: RunningEmulator, engine: EmulatorEngine, directory: String, logger: Logger)
    async throws
  {
    let configPath = directory + "/vigil.yaml"
    try Self.write(engine.issueToken().token + "\n", to: directory + "/demo-token.jwt", mode: 0o600)
    do {
      try DemoEnrichment.write(to: directory)
    } catch {
      throw CLIError("cannot write the demo's enrichment files in \(directory): \(TokenSource.reason(error))")
    }
    try Self.write(Self.configuration(url: emulator.baseURL), to: configPath, mode: 0o644)
    let configuration: VigilConfiguration
    do {
      configuration = try ConfigLoader(file: configPath, environment: [:]).load(
        String(contentsOfFile: configPath, encoding: .utf8))
    } catch {
      throw CLIError("the demo's own configuration is invalid: \(error)")
    }
    let store = try StoreOpener.open(configuration.storage)
    say("Vigil demo: an emulated 1Password Business account (30 days, 200 users, attack scenarios)")
    say("  Events API emulator: \(emulator.baseURL)")
    say("  collecting into:     \(directory)/vigil.db")
    say("  configuration:       \(configPath)")
    say("In another terminal:")
    say("  vigil status --config \(configPath)")
    say("  vigil search --config \(configPath) 'signin outcome:failure | top 10 user'")
    say("  vigil search --config \(configPath) 'itemusage | count by action, app' --last 7d")
    say("  vigil search --config \(configPath) 'signin | timechart span=1d count by outcome | compare 1d' --last 7d")
    say("  vigil search --config \(configPath) 'threat.feed:* | count by threat.feed, user'")
    say("  vigil export --config \(configPath) --format ecs --last 1d -o last-day.ecs.ndjson")
    say("Stop with Ctrl-C.")
    var run = CollectionRun(configuration: configuration, store: store, logger: logger)
    run.onCaughtUp = { events, seconds in
      say("Backfill complete: \(events.grouped) events in \(Int(seconds.rounded())) s; tailing the API every 10 s.")
    }
    let (outcomes, broken) = try await run.run()
    try? store.close()
    _ = CollectionRun.report(outcomes: outcomes, broken: broken)
  }

  static func configuration(url: String) -> String {
    """
    # Written by `vigil demo`: collects the emulated organisation. Relative paths are relative to this file.
    data_dir: .
    storage:
      url: sqlite:vigil.db
    retention:
      days: 365
    collector:
      poll_interval: 10s
    accounts:
      - name: demo
        token_file: demo-token.jwt
        url: \(url)
    # Offline stand-ins for GeoLite2 City/ASN, Tor exit and threat feeds (see docs/enrichment.md).
    \(DemoEnrichment.configuration)
    """
  }

  static func prepare(_ directory: String) throws -> String {
    do {
      try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    } catch {
      throw CLIError("cannot create \(directory): \(TokenSource.reason(error))")
    }
    if FileManager.default.fileExists(atPath: directory + "/vigil.db") {
      throw CLIError("\(directory) already holds a demo store (vigil.db); choose an empty --directory or remove it")
    }
    return directory
  }

  static func write(_ text: String, to path: String, mode: Int) throws {
    do {
      try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
      try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: path)
    } catch {
      throw CLIError("cannot write \(path): \(TokenSource.reason(error))")
    }
  }
}
