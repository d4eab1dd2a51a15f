import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import VigilBase
import VigilConfig
import VigilCore
import VigilRuntime

/// `vigil run`: the long-running service, everything `vigil.yaml` configures, until SIGINT/SIGTERM.
struct RunCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "run",
    abstract:
      "Run Vigil: collect every account, enrich, detect, notify, apply retention, and serve the web app when `web:` is configured.",
    discussion: "SIGINT or SIGTERM finish and commit the page in hand, then exit 0.")

  @OptionGroup var config: ConfigOptions
  @OptionGroup var logging: LoggingOptions

  func run() async throws {
    let logger = logging.bootstrap(label: "vigil.run")
    var options = RuntimeOptions.current()
    options.detection = true
    options.web = true
    options.sinks = true
    options.configFile = config.path
    try await Collection.run(try config.load(), options: options, logger: logger)
  }
}

/// `vigil collect`: the same runtime with collection only (and the retention and enrichment it needs).
struct CollectCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "collect",
    abstract: "Collect events from every configured account into the store (runs until stopped).")

  @OptionGroup var config: ConfigOptions
  @Flag(help: "Exit once every stream is caught up (for cron-style use); exit status 1 if any stream failed.")
  var untilCaughtUp = false
  @OptionGroup var logging: LoggingOptions

  func run() async throws {
    let logger = logging.bootstrap(label: "vigil.collect")
    var options = RuntimeOptions.current()
    options.untilCaughtUp = untilCaughtUp
    try await Collection.run(try config.load(), options: options, logger: logger)
  }
}

/// `vigil backfill --since DATE`: reads every stream again from a date, beside the live cursor.
/// Events already stored are recognised by uuid and not stored twice.
struct BackfillCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "backfill", abstract: "Read events again from a date (events already stored are skipped).")

  @OptionGroup var config: ConfigOptions
  @Option(help: "Start: 2026-08-01, 2026-08-01T00:00:00Z, or 30d back from now (at most 120 days back).")
  var since: String
  @OptionGroup var logging: LoggingOptions

  func run() async throws {
    var options = RuntimeOptions.current()
    options.since = try TimeArguments.instant(since, option: "--since", now: FieldValue.nanoseconds(options.clock.now))
    options.untilCaughtUp = true
    options.retention = false
    let logger = logging.bootstrap(label: "vigil.backfill")
    try await Collection.run(try config.load(), options: options, logger: logger)
  }
}

/// What the collecting commands share: a progress display, the runtime, the closing report.
enum Collection {
  static func run(
    _ configuration: VigilConfiguration, options: RuntimeOptions, logger: Logger, display: ProgressDisplay? = nil,
    extraServices: [any Service] = []
  ) async throws {
    let display = display ?? ProgressDisplay(logger: logger, clock: options.clock)
    let outcome = try await Runtime.run(
      configuration, options: options, logger: logger, observer: display, extraServices: extraServices)
    for line in outcome.problems { say(line) }
    if options.untilCaughtUp, !outcome.succeeded { throw ExitCode(1) }
  }
}

extension RuntimeOptions {
  /// The system clock and this process's environment.
  static func current() -> RuntimeOptions {
    var options = RuntimeOptions()
    options.environment = ProcessInfo.processInfo.environment
    return options
  }
}
