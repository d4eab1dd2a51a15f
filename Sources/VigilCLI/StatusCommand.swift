import ArgumentParser
import Foundation
import VigilBase
import VigilConfig
import VigilCore
import VigilEnrichment
import VigilEventsAPI
import VigilEventsAPIModel
import VigilJSON
import VigilRuntime
import VigilSinks

/// `vigil status`: per account × stream, what is stored and how collection is doing.
struct StatusCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "status",
    abstract:
      "Show, per account and stream, events stored, lag and the last error; each account's request budget; detection's progress and state; how each notifier fares."
  )

  enum Format: String, ExpressibleByArgument, CaseIterable { case table, json }

  @OptionGroup var config: ConfigOptions
  @Option(help: "Output format: table or json.") var format: Format = .table

  func run() async throws {
    let configuration = try config.load()
    var states: [StreamState] = []
    var sources: [SourceStatus] = []
    var rates: [RateStatus] = []
    var detection: DetectionStatus?
    var sinks: [SinkBacklog] = []
    var leases: [Lease] = []
    // Asking for status never creates a store: with none yet, every configured stream is "not started".
    if let opened = try await StoreOpener.openExisting(configuration.storage, password: configuration.storagePassword) {
      defer { opened.close() }
      do {
        states = try await opened.store.streamStates()
        sources = try await opened.store.sourceStatuses()
        rates = try await opened.store.rateStatuses()
        detection = try await DetectionStatus.read(opened.store)
        sinks = try await SinkBacklog.read(configuration.sinks.map(\.name), store: opened.store)
        leases = try await opened.store.leases()
      } catch {
        throw UserError(error.description)
      }
    } else if format == .table {
      say("no store at \(configuration.storage) yet: run `vigil run` or `vigil collect` to start collecting")
    }
    let now = SystemClock().now
    var rows = states
    // Configured streams that never ran still get a row.
    for account in configuration.accounts {
      for stream in account.streams ?? EventStream.allCases
      where !rows.contains(where: { $0.key == StreamKey(account: account.name, stream: stream) }) {
        rows.append(StreamState(key: StreamKey(account: account.name, stream: stream)))
      }
    }
    rows.sort { $0.key < $1.key }
    switch format {
    case .table:
      say(Self.table(rows, now: now))
      if !sinks.isEmpty {
        say("")
        for line in SinkBacklog.table(sinks, now: now) { say(line) }
      }
      if !rates.isEmpty {
        say("")
        say(RateStatusFormat.table(rates, now: now))
      }
      if !sources.isEmpty || !configuration.enrichment.isEmpty {
        say("")
        say(SourceStatusFormat.table(sources, configured: !configuration.enrichment.isEmpty, now: now))
      }
      if let detection {
        say("")
        say(detection.table(now: now))
      }
      if !leases.isEmpty {
        say("")
        say(Self.leaseTable(leases, now: now))
      }
    case .json:
      say(
        Self.json(rows, sources: sources, rates: rates, detection: detection, sinks: sinks, leases: leases, now: now))
    }
  }

  static func health(_ state: StreamState) -> String {
    if state.isFailing { return "FAILING" }
    if state.caughtUpAt != nil { return "ok" }
    if state.lastSuccessAt != nil { return "backfilling" }
    return "not started"
  }

  static func table(_ rows: [StreamState], now: Timestamp) -> String {
    var lines = [["ACCOUNT", "STREAM", "HEALTH", "EVENTS", "NEWEST EVENT", "CURSOR AGE", "LAG", "LAST ERROR"]]
    for state in rows {
      lines.append([
        state.key.account, state.key.stream.rawValue, health(state), Int(state.eventsStored).grouped,
        state.newestEventTime.map { String($0.rfc3339.prefix(19)) + "Z" } ?? "-",
        state.cursorUpdatedAt.map { age($0, now: now) } ?? "-",
        state.caughtUpAt.map { age($0, now: now) } ?? (state.lastSuccessAt == nil ? "-" : "catching up"),
        state.isFailing ? state.lastError ?? "" : "",
      ])
    }
    return textTable(lines)
  }

  /// Rows aligned in columns (the last column unpadded), trailing spaces trimmed.
  static func textTable(_ lines: [[String]]) -> String {
    let widths = (0..<lines[0].count - 1).map { column in lines.map { $0[column].count }.max() ?? 0 }
    return lines.map { line in
      line.enumerated().map { index, cell in
        index < widths.count ? cell.padding(toLength: widths[index], withPad: " ", startingAt: 0) : cell
      }.joined(separator: "  ").trimmingCharacters(in: .whitespaces)
    }.joined(separator: "\n")
  }

  static func json(
    _ rows: [StreamState], sources: [SourceStatus], rates: [RateStatus] = [], detection: DetectionStatus?,
    sinks: [SinkBacklog] = [], leases: [Lease] = [], now: Timestamp
  ) -> String {
    var writer = JSONWriter(capacity: 512)
    writer.beginObject()
    writer.key("streams")
    writer.beginArray()
    for state in rows {
      writer.beginObject()
      writer.field("account", state.key.account)
      writer.field("stream", state.key.stream.rawValue)
      writer.field("health", health(state))
      writer.field("events_stored", Int(state.eventsStored))
      writer.field("duplicates_skipped", Int(state.duplicates))
      writer.field("malformed_skipped", Int(state.malformed))
      writer.field("newest_event_time", state.newestEventTime?.rfc3339)
      writer.field("cursor_updated_at", state.cursorUpdatedAt?.rfc3339)
      writer.field("caught_up_at", state.caughtUpAt?.rfc3339)
      writer.field("lag_seconds", state.caughtUpAt.map { Int(now.seconds - $0.seconds) })
      writer.field("last_success_at", state.lastSuccessAt?.rfc3339)
      writer.field("last_error_at", state.lastErrorAt?.rfc3339)
      writer.field("last_error", state.lastError)
      writer.field("failing", state.isFailing)
      writer.endObject()
    }
    writer.endArray()
    writer.key("rate_budgets")
    RateStatusFormat.json(rates, into: &writer)
    writer.key("enrichment")
    SourceStatusFormat.json(sources, into: &writer)
    (detection ?? DetectionStatus()).json(into: &writer)
    writer.key("sinks")
    writer.beginArray()
    for sink in sinks { sink.write(into: &writer) }
    writer.endArray()
    writer.key("leases")
    writer.beginArray()
    for lease in leases { lease.write(into: &writer) }
    writer.endArray()
    writer.endObject()
    return String(decoding: writer.bytes, as: UTF8.self)
  }

  /// Which process holds each unit of work (processes sharing a PostgreSQL store).
  static func leaseTable(_ leases: [Lease], now: Timestamp) -> String {
    var lines = [["UNIT", "HELD BY", "SINCE", "LEASE"]]
    for lease in leases {
      lines.append([
        lease.unit, lease.isLive ? lease.holder : "nobody (last: \(lease.holder))", age(lease.acquiredAt, now: now),
        lease.isLive ? "ends in \(max(0, lease.expiresAt.seconds - now.seconds))s" : "ended",
      ])
    }
    return textTable(lines)
  }

  /// "42s", "5m", "3h", "2d".
  static func age(_ time: Timestamp, now: Timestamp) -> String {
    let seconds = max(0, now.seconds - time.seconds)
    switch seconds {
    case ..<120: return "\(seconds)s"
    case ..<7200: return "\(seconds / 60)m"
    case ..<172_800: return "\(seconds / 3600)h"
    default: return "\(seconds / 86_400)d"
    }
  }
}
