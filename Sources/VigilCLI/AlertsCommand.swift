import ArgumentParser
import Foundation
import VigilBase
import VigilConfig
import VigilCore
import VigilJSON
import VigilRuntime

/// `vigil alerts`: the alerts detection stored: list, show, acknowledge, close.
struct AlertsCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "alerts", abstract: "List, show, acknowledge and close alerts.",
    subcommands: [AlertsListCommand.self, AlertsShowCommand.self, AlertsAckCommand.self, AlertsCloseCommand.self],
    defaultSubcommand: AlertsListCommand.self)

  /// Runs `body` on the configured store; a missing store is an error that says how to make one.
  static func withStore<T>(_ config: ConfigOptions, _ body: (any VigilStore) async throws(StoreError) -> T)
    async throws -> T
  {
    let configuration = try config.load()
    guard
      let opened = try await StoreOpener.openExisting(configuration.storage, password: configuration.storagePassword)
    else {
      throw UserError("no store at \(configuration.storage) yet: run `vigil run` to collect and detect")
    }
    defer { opened.close() }
    do {
      return try await body(opened.store)
    } catch {
      throw UserError(error.description)
    }
  }
}

extension AlertStatus: ExpressibleByArgument {}
extension Severity: ExpressibleByArgument {}

struct AlertsListCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(commandName: "list", abstract: "List alerts, newest first.")

  @OptionGroup var config: ConfigOptions
  @Option(help: "Only alerts with this status: open, acknowledged, closed.") var status: AlertStatus?
  @Option(help: "Only alerts at least this severe: info, low, medium, high, critical.") var severity: Severity?
  @Option(help: "Only alerts whose last event is within this span (7d, 24h).") var last: String?
  @Option(help: "Only this rule's alerts.") var rule: String?
  @Option(help: "At most this many.") var limit = 100
  @Option(help: "Output: table, json or ndjson.") var format = AlertFormat.table

  func run() async throws {
    var query = AlertQuery()
    query.status = status
    query.minimumSeverity = severity
    query.rule = rule
    query.limit = limit
    if let last {
      let now = FieldValue.nanoseconds(Timestamp(epochSeconds: Date().timeIntervalSince1970))
      query.since = FieldValue.nanoseconds(try TimeArguments.instant(last, option: "--last", now: now))
    }
    let alerts = try await AlertsCommand.withStore(config) { store throws(StoreError) in try await store.alerts(query) }
    AlertOutput.write(alerts, format: format)
  }
}

struct AlertsShowCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one alert with its evidence.")

  @OptionGroup var config: ConfigOptions
  @Argument(help: "The alert's id (from `vigil alerts list`).") var id: String

  func run() async throws {
    let found = try await AlertsCommand.withStore(config) { store throws(StoreError) in try await store.alert(id) }
    guard let alert = found else { throw UserError("no alert \(id); `vigil alerts list` shows them") }
    for line in AlertOutput.describe(alert) { say(Printable.text(line)) }
  }
}

/// `ack` and `close` alike.
protocol AlertStatusCommand: AsyncParsableCommand {
  var config: ConfigOptions { get }
  var id: String { get }
  var note: String? { get }
  var by: String? { get }
  static var status: AlertStatus { get }
}

extension AlertStatusCommand {
  func run() async throws {
    let who = by ?? ProcessInfo.processInfo.environment["USER"] ?? "cli"
    let now = Timestamp(epochSeconds: Date().timeIntervalSince1970)
    let status = Self.status
    let (id, note) = (self.id, self.note)
    let updated = try await AlertsCommand.withStore(config) { store throws(StoreError) in
      try await store.updateStatus(id, to: status, by: who, note: note, at: now)
    }
    guard let alert = updated else { throw UserError("no alert \(id); `vigil alerts list` shows them") }
    say(Printable.text("\(alert.id) \(alert.status.rawValue) by \(who): \(alert.title)"))
  }
}

struct AlertsAckCommand: AlertStatusCommand {
  static let configuration = CommandConfiguration(commandName: "ack", abstract: "Acknowledge an alert.")
  static let status = AlertStatus.acknowledged

  @OptionGroup var config: ConfigOptions
  @Argument(help: "The alert's id.") var id: String
  @Option(help: "A note kept with the alert.") var note: String?
  @Option(help: "Who (default: $USER).") var by: String?
}

struct AlertsCloseCommand: AlertStatusCommand {
  static let configuration = CommandConfiguration(commandName: "close", abstract: "Close an alert.")
  static let status = AlertStatus.closed

  @OptionGroup var config: ConfigOptions
  @Argument(help: "The alert's id.") var id: String
  @Option(help: "A note kept with the alert.") var note: String?
  @Option(help: "Who (default: $USER).") var by: String?
}
