import ArgumentParser
import Foundation
import VigilBase
import VigilConfig
import VigilCore
import VigilDashboards
import VigilDetection
import VigilEventsAPIModel
import VigilRuntime

/// `vigil config check`: validates the file, reads every token and says what would be collected.
struct ConfigCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "config", abstract: "Work with vigil.yaml.", subcommands: [ConfigCheckCommand.self])
}

struct ConfigCheckCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract:
      "Check the configuration: every key, every token and notifier secret, the storage location. Exit status 1 on problems."
  )

  @OptionGroup var config: ConfigOptions

  func run() async throws {
    let configuration = try config.load()
    var problems: [String] = []
    say("\(config.path): syntax and keys OK")
    say("storage: \(configuration.storage)")
    if let problem = StoreOpener.problem(creating: configuration.storage) { problems.append(problem) }
    let retention = EventStream.allCases.map { stream in
      "\(stream.rawValue) \(configuration.retention.days(for: stream).map { "\($0) days" } ?? "forever")"
    }
    say("retention: \(retention.joined(separator: ", "))")
    let now = SystemClock().now
    for account in configuration.accounts {
      let prefix = "account \(account.name)\(account.line.map { " (line \($0))" } ?? "")"
      do {
        let token = try TokenSource.read(account.token)
        if let warning = TokenSource.exposure(account.token) { say("warning: \(prefix): \(warning)") }
        let url = try token.baseURL(override: account.url)
        var line = "\(prefix): token \(token.tokenID ?? "?") from \(account.token), API \(url)"
        if let expiry = token.expiresAt {
          if token.isExpired(at: now) {
            problems.append("\(prefix): the token expired at \(expiry.rfc3339); issue a new one")
          } else {
            line += ", expires \(expiry.rfc3339)"
          }
        }
        let streams = StreamSelection.streams(configured: account.streams, token: token)
        let ungranted = StreamSelection.ungranted(configured: account.streams, token: token)
        if !ungranted.isEmpty {
          problems.append(
            "\(prefix): the token does not grant \(ungranted.map(\.rawValue).joined(separator: ", ")); "
              + "issue a token with those events or list only granted ones under streams")
        }
        say(line + ", streams: \(streams.map(\.rawValue).joined(separator: ", "))")
      } catch {
        problems.append("\(prefix): \(error)")
      }
    }
    let environment = ProcessInfo.processInfo.environment
    for notifier in configuration.notifications.notifiers {
      do {
        say(Printable.text(try NotifierFactory.describe(notifier, environment: environment)))
      } catch {
        problems.append(error.description)
      }
    }
    for (index, route) in configuration.notifications.routes.enumerated() {
      let rules = route.rules.map { " of rules \($0.joined(separator: ", "))" } ?? ""
      let except = route.exceptRules.isEmpty ? "" : " except \(route.exceptRules.joined(separator: ", "))"
      say(
        "route \(index + 1): alerts of severity \(route.minimumSeverity.rawValue) or more\(rules)\(except) → "
          + route.notifiers.joined(separator: ", "))
    }
    problems += Self.describeWeb(configuration.web)
    for problem in problems { say("problem: \(problem)") }
    if !problems.isEmpty { throw ExitCode(1) }
    say("configuration OK")
  }
}

/// `vigil retention apply`: deletes what retention allows, now.
struct RetentionCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "retention", abstract: "Apply the retention policy.", subcommands: [RetentionApplyCommand.self])
}

struct RetentionApplyCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "apply",
    abstract: "Delete events older than the retention policy (unprocessed ones only with --force).")

  @OptionGroup var config: ConfigOptions
  @Flag(help: "Also delete expired events that a consumer (rules, sinks) has not processed yet.") var force = false

  func run() async throws {
    let report = try await Runtime.applyRetention(try config.load(), force: force, now: SystemClock().now)
    for entry in report.entries {
      say("\(entry.stream.rawValue): deleted \(entry.deleted.grouped) events older than \(entry.cutoff.rfc3339)")
    }
    for warning in report.warnings { say("WARNING: \(warning)") }
    if let note = report.consumerNote { say("note: \(note)") }
    if report.entries.isEmpty { say("retention keeps every stream forever; nothing to delete") }
  }
}

extension ConfigCheckCommand {
  /// Says where the web app listens and who may use it; loads the dashboards and reads the TLS files.
  static func describeWeb(_ web: WebSettings) -> [String] {
    guard web.enabled else { return [] }
    var problems: [String] = []
    let scheme = web.usesTLS ? "https" : "http"
    var line =
      "web: \(scheme)://\(web.host):\(web.port), \(web.users.count) user(s), \(web.apiTokens.count) API token(s)"
    do {
      let library = try DashboardLibrary.load(folder: web.dashboards)
      line += ", \(library.dashboards.count) dashboards"
    } catch {
      problems.append("web.dashboards: \(error.description)")
    }
    if let metricsHost = web.metricsHost, let metricsPort = web.metricsPort {
      line += ", /metrics without a token on \(metricsHost):\(metricsPort)"
    }
    say(line)
    if web.users.isEmpty { say("warning: web: no users can sign in; add one with `vigil user add NAME`") }
    if web.host != "127.0.0.1", web.host != "::1", web.host != "localhost", !web.usesTLS {
      say(
        "warning: web: listening beyond loopback without TLS; passwords and sessions would cross the network in clear")
    }
    for path in [web.tlsCertificate, web.tlsKey].compactMap({ $0 })
    where !FileManager.default.isReadableFile(atPath: path) {
      problems.append("web.tls: cannot read \(path)")
    }
    return problems
  }
}
