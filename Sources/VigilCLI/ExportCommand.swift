import ArgumentParser
import Foundation
import Synchronization
import VigilBase
import VigilConfig
import VigilCore
import VigilEventsAPI
import VigilFormats
import VigilForwarder
import VigilQuery
import VigilRuntime

/// `vigil export`: stored events in a SIEM's format, streamed in constant memory.
struct ExportCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export",
    abstract: "Write stored events as ECS, OCSF, the API's raw JSON or CSV.",
    discussion: """
      Events are written oldest first, one JSON document per line (ecs, ocsf, raw) or one CSV row each.
      Examples:
        vigil export --format ecs --last 7d -o signins.ndjson 'signin'
        vigil export --format ocsf --gzip -o audit.ndjson.gz 'audit action:(disblmfa OR suspend)'
        vigil export --format raw --from 2026-11-01 --to 2026-11-02 > day.ndjson
      """)

  @OptionGroup var config: ConfigOptions
  @Argument(help: "A filter query (as `vigil search`, without aggregation stages); empty exports everything.")
  var query: String = ""
  @Option(help: "ecs, ocsf, raw or csv.") var format: ExportFormat = .ecs
  @Option(help: "Events from this time: 2026-11-01, 2026-11-01T09:30:00Z, now-7d, today, yesterday.")
  var from: String?
  @Option(help: "Events before this time (same forms as --from).") var to: String?
  @Option(help: "Events of the last span: 15m, 24h, 7d, 4w (instead of --from).") var last: String?
  @Flag(help: "Compress the output with gzip.") var gzip = false
  @Option(name: [.short, .customLong("output")], help: "Write to this file instead of standard output.")
  var output: String?

  func run() async throws {
    let configuration = try config.load()
    let now = FieldValue.nanoseconds(SystemClock().now)
    let range = try TimeArguments.range(from: from, to: to, last: last, now: now)
    var plan: SearchPlan
    do {
      plan = try Search.plan(query, range: range, now: now, defaultFields: [SearchPlan.sequenceColumn])
    } catch {
      FileHandle.standardError.write(Data((error.description + "\n").utf8))
      throw ExitCode(2)
    }
    guard plan.aggregation == nil, plan.compare == nil else {
      throw UserError("export writes events: remove the aggregation stage (count, top, stats, timechart, …)")
    }
    // Oldest first, ties by sequence: the order a SIEM would have received them in.
    plan.sort = [
      SortKey(FieldCatalog.time.name, descending: false),
      SortKey(SearchPlan.sequenceColumn, descending: false),
    ]
    if output == nil, gzip, isatty(STDOUT_FILENO) == 1 {
      throw UserError("gzip output on a terminal is unreadable: add -o FILE or redirect standard output")
    }
    guard
      let opened = try await StoreOpener.openExisting(configuration.storage, password: configuration.storagePassword)
    else {
      throw UserError(
        "no store at \(configuration.storage) yet: run `vigil run` or `vigil collect` (or `vigil demo`) first")
    }
    defer { opened.close() }
    let store = opened.store
    let sink = try ExportOutput(path: output, gzip: gzip)
    let progress = TerminalProgress(
      enabled: isatty(STDERR_FILENO) == 1 && (output != nil || isatty(STDOUT_FILENO) == 0))
    let encoder = format.encoder
    let state = Mutex<(count: Int, failure: (any Error)?)>((0, nil))
    do {
      try sink.write(encoder.header())
      let buffer = Mutex<[UInt8]>([])
      _ = try await store.events(matching: plan) { event in
        try buffer.withLock { bytes in
          bytes.removeAll(keepingCapacity: true)
          encoder.encode(event, into: &bytes)
          try sink.write(bytes)
        }
        let count = state.withLock { state -> Int in
          state.count += 1
          return state.count
        }
        if count % 1000 == 0 {
          progress.update(
            "exporting: \(count.grouped) events (\(Int(Double(count) / max(0.001, progress.elapsed)).grouped)/s)")
        }
        return true
      }
      try sink.finish()
    } catch {
      sink.abandon()
      state.withLock { $0.failure = error }
    }
    let (count, failure) = state.withLock { ($0.count, $0.failure) }
    progress.finish()
    if let failure { throw UserError("export failed after \(count) events: \(failure)") }
    if let output {
      FileHandle.standardError.write(Data("exported \(count) events to \(output) (\(sink.bytesWritten) bytes)\n".utf8))
    }
  }
}

extension ExportFormat: ExpressibleByArgument {}
