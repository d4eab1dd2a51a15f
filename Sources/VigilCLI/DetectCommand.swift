import ArgumentParser
import Foundation
import VigilBase
import VigilConfig
import VigilCore
import VigilDetection
import VigilEventsAPIModel
import VigilJSON
import VigilRuntime
import VigilYAML

/// `vigil detect --replay`: runs the enabled rules over raw API items from files and prints the
/// alerts. No store, no configuration: rules and events in, alerts out.
struct DetectCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "detect", abstract: "Run the detection rules over NDJSON files of API items and print the alerts.")

  @Option(
    name: .customLong("replay"), parsing: .singleValue,
    help: "An NDJSON file of API items (or `vigil export --format raw` output); repeat for several.")
  var files: [String] = []
  @Option(help: "The stream of every item (default: from each file's name, else from each item's fields).")
  var stream: EventStream?
  @Option(name: .customLong("rules"), parsing: .singleValue, help: "Rule files or folders to add to the built-in pack.")
  var rulePaths: [String] = []
  @Flag(help: "Run only the rules given with --rules.") var noBuiltIn = false
  @Option(help: "Output: table, json (an array, one alert per line) or ndjson.") var format = AlertFormat.table
  @Option(help: "Account name the events are attributed to.") var account = "replay"
  @Option(help: "Also apply this vigil.yaml's detection section (rule files, disables, overrides, watchlists).")
  var config: String?

  func validate() throws {
    if files.isEmpty { throw ValidationError("name at least one --replay FILE") }
  }

  func run() throws {
    let library: RuleLibrary
    var watchlists = Watchlists.standard()
    var lateness = DetectionEngine.defaultLateness
    if let config {
      let settings = try ConfigOptions(config: config).load().detection
      (library, watchlists) = RuleFiles.load(settings, configFile: config, paths: rulePaths, builtIn: !noBuiltIn)
      lateness = settings.allowedLateness
    } else {
      library = RuleFiles.load(rulePaths, builtIn: !noBuiltIn)
    }
    guard library.problems.isEmpty else {
      throw UserError(library.problems.map(\.description).joined(separator: "\n"))
    }
    var engine = DetectionEngine(rules: library.rules, watchlists: watchlists, lateness: lateness)
    var latest: [AlertID: Alert] = [:]
    var sequence: Int64 = 0
    var unreadable = 0
    let now = Timestamp(epochSeconds: Date().timeIntervalSince1970)
    for file in files {
      let named = stream ?? ReplayStream.fromName(file)
      try NDJSONLines.read(file) { line, number in
        guard let kind = named ?? ReplayStream.infer(line),
          let event = Normalizer.normalize(raw: line, account: account, stream: kind, ingestedAt: now)
        else {
          unreadable += 1
          if unreadable <= 5 { FileHandle.standardError.write(Data("\(file):\(number): not an API item\n".utf8)) }
          return
        }
        sequence += 1
        for alert in engine.observe(event, sequence: sequence) { latest[alert.id] = alert }
      }
    }
    for alert in engine.finish() { latest[alert.id] = alert }
    let alerts = latest.values.sorted { ($0.first, $0.id) < ($1.first, $1.id) }
    AlertOutput.write(alerts.map { $0.record(at: now) }, format: format)
    let statistics = engine.statistics
    var summary = "\(alerts.count) alerts from \(sequence) events, \(engine.rules.count) rules"
    if unreadable > 0 { summary += "; \(unreadable) lines were not API items" }
    if statistics.tooLate > 0 { summary += "; \(statistics.tooLate) events arrived too late for windowed rules" }
    FileHandle.standardError.write(Data((summary + "\n").utf8))
  }
}

extension EventStream: ExpressibleByArgument {}

/// Which stream a replay file or line holds.
enum ReplayStream {
  static func fromName(_ path: String) -> EventStream? {
    let name = URL(fileURLWithPath: path).lastPathComponent.lowercased()
    return EventStream.allCases.first { name.contains($0.rawValue) }
      ?? (name.contains("signin")
        ? .signInAttempts : name.contains("item") ? .itemUsages : name.contains("audit") ? .auditEvents : nil)
  }

  /// From the fields only one stream's items have.
  static func infer(_ line: [UInt8]) -> EventStream? {
    guard let document = try? JSONDocument(bytes: line) else { return nil }
    let root = document.root
    if root["category"] != nil || root["target_user"] != nil { return .signInAttempts }
    if root["item_uuid"] != nil || root["vault_uuid"] != nil { return .itemUsages }
    if root["object_type"] != nil || root["actor_uuid"] != nil { return .auditEvents }
    return nil
  }
}

/// Reads a file line by line in fixed-size chunks (replays can be gigabytes).
enum NDJSONLines {
  static func read(_ path: String, _ line: ([UInt8], Int) throws -> Void) throws {
    guard let handle = FileHandle(forReadingAtPath: path) else { throw UserError("cannot read \(path)") }
    defer { try? handle.close() }
    var pending: [UInt8] = []
    var number = 0
    func emit(_ bytes: ArraySlice<UInt8>) throws {
      number += 1
      var trimmed = bytes
      while let last = trimmed.last, last == 0x0D || last == 0x20 || last == 0x09 { trimmed.removeLast() }
      if !trimmed.isEmpty { try line(Array(trimmed), number) }
    }
    while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
      pending.append(contentsOf: chunk)
      var start = pending.startIndex
      while let end = pending[start...].firstIndex(of: 0x0A) {
        try emit(pending[start..<end])
        start = end + 1
      }
      pending.removeSubrange(..<start)
    }
    if !pending.isEmpty { try emit(pending[...]) }
  }
}
