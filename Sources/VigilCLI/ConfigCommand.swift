import ArgumentParser
import EventsAPIModel
import Foundation
import SQLiteStore
import VigilConfig
import VigilCore

/// `vigil config check`: validates the file, reads every token and says what would be collected.
struct ConfigCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "config", abstract: "Work with vigil.yaml.", subcommands: [ConfigCheckCommand.self])
}

struct ConfigCheckCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Check the configuration: every key, every token, the storage location. Exit status 1 on problems.")

  @OptionGroup var config: ConfigOptions

  func run() async throws {
    let configuration = try config.load()
    var problems: [String] = []
    say("\(config.path): syntax and keys OK")
    say("storage: \(configuration.storage)")
    if case .sqlite(let path) = configuration.storage {
      let directory = (path as NSString).deletingLastPathComponent
      var existing = directory.isEmpty ? "." : directory
      while !FileManager.default.fileExists(atPath: existing) {
        existing = (existing as NSString).deletingLastPathComponent
      }
      if !FileManager.default.isWritableFile(atPath: existing.isEmpty ? "." : existing) {
        problems.append("storage: \(existing) is not writable; the database cannot be created at \(path)")
      }
    } else {
      problems.append(StoreError.unsupportedURL(configuration.storage.description).description)
    }
    let retention = EventStream.allCases.map { stream in
      "\(stream.rawValue) \(configuration.retention.days(for: stream).map { "\($0) days" } ?? "forever")"
    }
    say("retention: \(retention.joined(separator: ", "))")
    let now = Timestamp(epochSeconds: Date().timeIntervalSince1970)
    for account in configuration.accounts {
      let prefix = "account \(account.name)\(account.line.map { " (line \($0))" } ?? "")"
      do {
        let token = try AccountSetup.readToken(account.token)
        let url = try token.baseURL(override: account.url)
        var line = "\(prefix): token \(token.tokenID ?? "?") from \(account.token), API \(url)"
        if let expiry = token.expiresAt {
          if token.isExpired(at: now) {
            problems.append("\(prefix): the token expired at \(expiry.rfc3339); issue a new one")
          } else {
            line += ", expires \(expiry.rfc3339)"
          }
        }
        let wanted = account.streams ?? EventStream.allCases
        let missing = token.features.isEmpty ? [] : wanted.filter { !token.features.contains($0.feature) }
        if account.streams != nil, !missing.isEmpty {
          problems.append(
            "\(prefix): the token does not grant \(missing.map(\.rawValue).joined(separator: ", ")); "
              + "issue a token with those events or remove them from streams")
        }
        let streams = account.streams ?? (token.features.isEmpty ? wanted : token.streams)
        say(line + ", streams: \(streams.map(\.rawValue).joined(separator: ", "))")
      } catch {
        problems.append("\(prefix): \(error)")
      }
    }
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
    let configuration = try config.load()
    let store = try StoreOpener.open(configuration.storage)
    let report: RetentionReport
    do {
      report = try await store.applyRetention(
        configuration.retention, now: Timestamp(epochSeconds: Date().timeIntervalSince1970), force: force)
    } catch {
      throw CLIError(error.description)
    }
    try? store.close()
    for entry in report.entries {
      say("\(entry.stream.rawValue): deleted \(entry.deleted.grouped) events older than \(entry.cutoff.rfc3339)")
    }
    for warning in report.warnings { say("WARNING: \(warning)") }
    if report.entries.isEmpty { say("retention keeps every stream forever; nothing to delete") }
  }
}
