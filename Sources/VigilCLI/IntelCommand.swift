import ArgumentParser
import Foundation
import Logging
import VigilBase
import VigilCore
import VigilRuntime

/// `vigil intel`: threat intel and other enrichment sources.
struct IntelCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "intel", abstract: "Check enrichment sources and re-apply them to stored events.",
    subcommands: [RescanCommand.self])

  /// `vigil intel rescan --since 7d`.
  struct RescanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "rescan",
      abstract: "Enrich stored events again with the current feeds, databases and lookups.",
      discussion: """
        After a feed update, an address that was clean when its events arrived may be listed now.
        Rescan reads the sources as `vigil collect` would (URL feeds from their last download), and
        updates every stored event from --since on whose enrichment changed.
        Example: vigil intel rescan --since 7d
        """)

    @OptionGroup var config: ConfigOptions
    @Option(help: "Events from this time: 7d, 24h (back from now), 2026-11-01, now-30d.") var since: String

    func run() async throws {
      let configuration = try config.load()
      let start = try TimeArguments.instant(since, option: "--since", now: FieldValue.nanoseconds(SystemClock().now))
      let line = TerminalProgress()
      let (report, problems) = try await Runtime.rescan(
        configuration, since: start, logger: Logger(label: "vigil.intel")
      ) { scanned in line.update("rescanning: \(scanned.grouped) events") }
      line.finish()
      for status in problems { say("warning: \(status.name): \(status.error ?? "")") }
      say(
        "rescanned \(report.scanned) events since \(start.rfc3339): "
          + "\(report.changed) changed, \(report.newThreatMatches) newly matched a threat feed")
    }
  }
}
