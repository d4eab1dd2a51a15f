import ArgumentParser
import VigilBase
import VigilConfig
import VigilCore
import VigilRuntime
import VigilSinks

/// `vigil sinks`: the configured destinations, how far behind each is, and its quarantine.
struct SinksCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sinks", abstract: "List sinks, show their backlog and quarantine, send quarantined events again.",
    subcommands: [List.self, Status.self, Retry.self])

  struct List: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "The sinks in vigil.yaml: type, destination, filter.")
    @OptionGroup var config: ConfigOptions

    func run() async throws {
      let configuration = try config.load()
      guard !configuration.sinks.isEmpty else {
        say("no sinks: add them under `sinks:` in \(config.path) (docs/sinks.md)")
        return
      }
      let rows = configuration.sinks.map { sink in
        [sink.name, sink.type, Printable.text(sink.destination), sink.filter.map(Printable.text) ?? "(every event)"]
      }
      for line in TextTable.render(header: ["SINK", "TYPE", "DESTINATION", "FILTER"], rows: rows) { say(line) }
    }
  }

  struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Each sink's backlog (events and how long the oldest has waited), deliveries, last error, quarantine.")
    @OptionGroup var config: ConfigOptions

    func run() async throws {
      let configuration = try config.load()
      guard
        let opened = try await StoreOpener.openExisting(configuration.storage, password: configuration.storagePassword)
      else {
        say("no store at \(configuration.storage) yet: run `vigil run` first")
        return
      }
      defer { opened.close() }
      let rows: [SinkBacklog]
      do {
        rows = try await SinkBacklog.read(configuration.sinks.map(\.name), store: opened.store)
      } catch {
        throw UserError(error.description)
      }
      for line in SinkBacklog.table(rows, now: SystemClock().now) { say(line) }
    }
  }

  struct Retry: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Send a sink's quarantined events again (after fixing what the receiver refused).")
    @OptionGroup var config: ConfigOptions
    @Argument(help: "The sink's name.") var name: String

    func run() async throws {
      let configuration = try config.load()
      guard configuration.sinks.contains(where: { $0.name == name }) else {
        throw UserError("no sink named \(Printable.text(name)) in \(config.path); `vigil sinks list` shows them")
      }
      guard
        let opened = try await StoreOpener.openExisting(configuration.storage, password: configuration.storagePassword)
      else {
        throw UserError("no store at \(configuration.storage) yet: nothing is quarantined")
      }
      defer { opened.close() }
      let count: Int
      do {
        count = try await opened.store.requestRetry(sink: name)
      } catch {
        throw UserError(error.description)
      }
      say(
        count == 0
          ? "sink \(name) has nothing quarantined"
          : "\(count) quarantined events of sink \(name) will be sent again by the running `vigil run` (or the next)")
    }
  }
}

/// One line per sink for `vigil sinks status` and `vigil status`.
extension SinkBacklog {
  /// `vigil sinks status` and the sinks part of `vigil status`.
  static func table(_ reports: [SinkBacklog], now: Timestamp) -> [String] {
    let rows = reports.map { report -> [String] in
      let status = report.status
      let state = status.map { $0.isFailing ? "FAILING" : "ok" } ?? "not started"
      return [
        report.name, state, Int(report.events).grouped,
        report.oldestWaiting.map { StatusCommand.age($0, now: now) } ?? "-",
        Int(status?.delivered ?? 0).grouped, String(report.quarantined),
        status?.lastError.map { Printable.text(String($0.prefix(120))) } ?? "",
      ]
    }
    return TextTable.render(
      header: ["SINK", "STATE", "BACKLOG", "WAITING", "DELIVERED", "QUARANTINED", "LAST ERROR"], rows: rows)
  }
}
