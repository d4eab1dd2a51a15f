import ArgumentParser
import EventsAPI
import Foundation
import SQLiteStore
import Synchronization
import VigilConfig
import VigilCore
import VigilFormats
import VigilQuery

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
    let range = try SearchCommand.range(from: from, to: to, last: last, now: now)
    var plan: SearchPlan
    do {
      plan = try Search.plan(query, range: range, now: now, defaultFields: [SearchPlan.sequenceColumn])
    } catch {
      FileHandle.standardError.write(Data((error.description + "\n").utf8))
      throw ExitCode(2)
    }
    guard plan.aggregation == nil, plan.compare == nil else {
      throw CLIError("export writes events: remove the aggregation stage (count, top, stats, timechart, …)")
    }
    // Oldest first, ties by sequence: the order a SIEM would have received them in.
    plan.sort = [
      SortKey(FieldCatalog.time.name, descending: false),
      SortKey(SearchPlan.sequenceColumn, descending: false),
    ]
    guard case .sqlite(let path) = configuration.storage, FileManager.default.fileExists(atPath: path) else {
      throw CLIError("no store at \(configuration.storage) yet: run `vigil collect` (or `vigil demo`) first")
    }
    if output == nil, gzip, isatty(STDOUT_FILENO) == 1 {
      throw CLIError("gzip output on a terminal is unreadable: add -o FILE or redirect standard output")
    }
    let store = try StoreOpener.open(configuration.storage)
    defer { try? store.close() }
    let sink = try ExportOutput(path: output, gzip: gzip)
    let progress = ExportProgress(enabled: isatty(STDERR_FILENO) == 1 && (output != nil || isatty(STDOUT_FILENO) == 0))
    let encoder = format.encoder
    let state = Mutex<(count: Int, failure: (any Error)?)>((0, nil))
    do {
      try sink.write(encoder.header())
      let buffer = Mutex<[UInt8]>([])
      _ = try await store.exportEvents(plan) { event in
        try buffer.withLock { bytes in
          bytes.removeAll(keepingCapacity: true)
          encoder.encode(event, into: &bytes)
          try sink.write(bytes)
        }
        let count = state.withLock { state -> Int in
          state.count += 1
          return state.count
        }
        progress.update(count)
        return true
      }
      try sink.finish()
    } catch {
      sink.abandon()
      state.withLock { $0.failure = error }
    }
    let (count, failure) = state.withLock { ($0.count, $0.failure) }
    progress.finish(count)
    if let failure { throw CLIError("export failed after \(count) events: \(failure)") }
    if let output {
      FileHandle.standardError.write(Data("exported \(count) events to \(output) (\(sink.bytesWritten) bytes)\n".utf8))
    }
  }
}

extension ExportFormat: ExpressibleByArgument {}

/// A one-line counter on a terminal's standard error, redrawn at most every half second.
final class ExportProgress: Sendable {
  private let enabled: Bool
  private let start = Date()
  private let last = Mutex<Date>(.distantPast)

  init(enabled: Bool) { self.enabled = enabled }

  func update(_ count: Int) {
    guard enabled, count % 1000 == 0 else { return }
    let now = Date()
    let due = last.withLock { last -> Bool in
      guard now.timeIntervalSince(last) >= 0.5 else { return false }
      last = now
      return true
    }
    guard due else { return }
    let rate = Double(count) / max(0.001, now.timeIntervalSince(start))
    FileHandle.standardError.write(Data("\r\u{1B}[Kexporting: \(count) events (\(Int(rate))/s)".utf8))
  }

  func finish(_ count: Int) {
    guard enabled else { return }
    FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
  }
}
