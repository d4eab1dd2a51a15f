import ArgumentParser
import Collector
import Enrichment
import EventsAPI
import EventsAPIModel
import Foundation
import Logging
import SQLiteStore
import VigilConfig
import VigilCore
import VigilQuery

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
      guard !configuration.enrichment.isEmpty else {
        throw CLIError("no enrichment sources in \(config.path): add an `enrichment:` section (docs/enrichment.md)")
      }
      let clock = SystemClock()
      let now = FieldValue.nanoseconds(clock.now)
      let text = since.first?.isNumber == true ? "now-" + since : since
      guard let start = TimeExpression.range(text, now: now)?.from ?? TimeExpression.instant(text, now: now) else {
        throw CLIError("--since \(since) is not a time: use 7d, 24h, 2026-11-01 or 2026-11-01T09:30:00Z")
      }
      let store = try StoreOpener.open(configuration.storage)
      defer { try? store.close() }
      let service = EnrichmentService(
        settings: configuration.enrichment, provider: EnrichmentProvider(), store: store,
        dataDirectory: configuration.dataDirectory, clock: clock, logger: Logger(label: "vigil.intel"))
      await service.loadNow(download: false)
      let statuses = try await store.sourceStatuses()
      for status in statuses where status.error != nil {
        say("warning: \(status.name): \(status.error ?? "")")
      }
      guard let enricher = service.provider.enricher else { throw CLIError("no enrichment source could be loaded") }
      let terminal = isatty(STDERR_FILENO) == 1
      let report: RescanReport
      do {
        report = try await store.reenrich(since: FieldValue.timestamp(nanoseconds: start), with: enricher) { scanned in
          if terminal { FileHandle.standardError.write(Data("\r\u{1B}[Krescanning: \(scanned) events".utf8)) }
        }
      } catch {
        throw CLIError(error.description)
      }
      if terminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
      say(
        "rescanned \(report.scanned) events since \(FieldValue.timestamp(nanoseconds: start).rfc3339): "
          + "\(report.changed) changed, \(report.newThreatMatches) newly matched a threat feed")
    }
  }
}
