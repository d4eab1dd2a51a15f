import ArgumentParser
import Collector
import SQLiteStore
import VigilConfig

/// `vigil collect`: collects every configured account × stream into the store.
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
    let configuration = try config.load()
    let store = try StoreOpener.open(configuration.storage)
    let run = CollectionRun(configuration: configuration, store: store, logger: logger, untilCaughtUp: untilCaughtUp)
    let (outcomes, broken) = try await run.run()
    try? store.close()
    if untilCaughtUp, !CollectionRun.report(outcomes: outcomes, broken: broken) { throw ExitCode(1) }
  }
}

/// `vigil backfill --since DATE`: reads every stream again from a date, beside the live cursor.
/// Events already stored are recognised by uuid and not stored twice.
struct BackfillCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "backfill", abstract: "Read events again from a date (events already stored are skipped).")

  @OptionGroup var config: ConfigOptions
  @Option(help: "Start date: 2026-08-01 or 2026-08-01T00:00:00Z (at most 120 days back).") var since: String
  @OptionGroup var logging: LoggingOptions

  func run() async throws {
    guard let start = DateArgument.parse(since) else {
      throw CLIError("--since \(since) is not a date; write 2026-08-01 or 2026-08-01T00:00:00Z")
    }
    let logger = logging.bootstrap(label: "vigil.backfill")
    let configuration = try config.load()
    let store = try StoreOpener.open(configuration.storage)
    let run = CollectionRun(
      configuration: configuration, store: store, logger: logger, untilCaughtUp: true, since: start, retention: false)
    let (outcomes, broken) = try await run.run()
    try? store.close()
    if !CollectionRun.report(outcomes: outcomes, broken: broken) { throw ExitCode(1) }
  }
}
