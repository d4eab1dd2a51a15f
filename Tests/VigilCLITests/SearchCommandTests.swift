import Foundation
import Testing
import VigilBase
import VigilCore
import VigilEmulatorCore
import VigilEventsAPIModel
import VigilJSON
import VigilSQLite
import VigilTestSupport

/// `vigil search` as a user runs it: the built binary over a store of the emulator's events, in every
/// output format, with errors that point at the query.
@Suite struct SearchCommandTests {
  static let now = Timestamp.fixture("2026-11-04T18:00:00Z")

  /// A directory with a store of three days of the emulator's organisation (plus one event whose
  /// fields try to attack a terminal and a spreadsheet), and a vigil.yaml naming it.
  static func workspace() async throws -> (directory: String, config: String, events: [CanonicalEvent]) {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-search-\(UUID().uuidString)")
      .path
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    var options = EmulatorOptions()
    options.users = 12
    options.days = 3
    let engine = try EmulatorEngine(options: options, clock: ManualClock(start: now))
    var events: [CanonicalEvent] = []
    for stream in EventStream.allCases {
      for emulated in engine.allEvents(stream: stream) where emulated.insertedAt <= now {
        var writer = JSONWriter(capacity: 512)
        WireEncoder(version: .v2).encode(emulated.event, into: &writer)
        if let event = Normalizer.normalize(raw: writer.bytes, account: "acme", stream: stream, ingestedAt: now) {
          events.append(event)
        }
      }
    }
    let hostile =
      #"{"uuid":"evil","timestamp":"2026-11-04T17:00:00Z","category":"success","type":"mfa_ok","target_user":{"email":"=HYPERLINK(\"http://x\")","name":"\u001b[31mred\u001b[0m"},"client":{"app_name":"\u001b]0;owned\u0007"}}"#
    if let event = Normalizer.normalize(
      raw: Array(hostile.utf8), account: "acme", stream: .signInAttempts, ingestedAt: now)
    {
      events.append(event)
    }
    let store = try SQLiteEventStore(path: directory + "/vigil.db")
    for stream in EventStream.allCases {
      _ = try await store.commit(
        IngestBatch(
          key: StreamKey(account: "acme", stream: stream), events: events.filter { $0.stream == stream },
          cursor: "c", caughtUp: true, at: now))
    }
    try store.close()
    try "unused".write(toFile: directory + "/token", atomically: false, encoding: .utf8)
    let config = directory + "/vigil.yaml"
    try "storage:\n  url: sqlite:vigil.db\naccounts:\n  - name: acme\n    token_file: token\n".write(
      toFile: config, atomically: false, encoding: .utf8)
    return (directory, config, events)
  }

  func search(_ config: String, _ arguments: [String]) async throws -> VigilProcess.Outcome {
    try await VigilProcess.run(["search", "--config", config] + arguments)
  }

  @Test func everyFormatCarriesTheSameRows() async throws {
    let (directory, config, events) = try await Self.workspace()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let signIns = events.filter { $0.stream == .signInAttempts }
    let ndjson = try await search(config, ["signin"])
    #expect(ndjson.status == 0, "\(ndjson.error)")
    let lines = ndjson.output.split(separator: "\n")
    #expect(lines.count == signIns.count)
    // Machine formats carry every field, newest first.
    let first = try JSONDocument(bytes: Array(lines[0].utf8)).root
    #expect(first["event.uuid"]?.string == signIns.max { $0.time < $1.time }?.uuid)
    #expect(first["geo.city"] != nil)
    let json = try await search(config, ["signin | count by outcome", "--format", "json"])
    let array = try JSONDocument(json.output).root
    #expect(array.kind == .array)
    let counted = array.elements.compactMap { $0["count"]?.int }.reduce(0, +)
    #expect(counted == signIns.count)
    let csv = try await search(config, ["signin | count by outcome", "--format", "csv"])
    #expect(csv.output.hasPrefix("event.outcome,count\n"))
    let table = try await search(config, ["signin | top 3 user", "--format", "table"])
    #expect(table.output.hasPrefix("USER.EMAIL"))
    #expect(table.output.split(separator: "\n").count == 4)
  }

  @Test func hostileValuesNeitherReachTheTerminalNorRunInASpreadsheet() async throws {
    let (directory, config, _) = try await Self.workspace()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let table = try await search(config, ["uuid:evil | fields user, name, app", "--format", "table"])
    #expect(table.status == 0)
    #expect(!table.output.unicodeScalars.contains("\u{1B}"))
    #expect(!table.output.unicodeScalars.contains("\u{07}"))
    let csv = try await search(config, ["uuid:evil | fields user", "--format", "csv"])
    #expect(csv.output == "user.email\n\"'=HYPERLINK(\"\"http://x\"\")\"\n")
  }

  @Test func badQueriesAndRangesAreClearErrors() async throws {
    let (directory, config, _) = try await Self.workspace()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let typo = try await search(config, ["signin usr.email:x"])
    #expect(typo.status == 2)
    #expect(
      typo.error.contains(
        "  signin usr.email:x\n         ^\nerror: unknown field 'usr.email' (did you mean user.email?)"))
    // A stage without its pipe: it runs as written (free text), and standard error says how to aggregate.
    let pipeless = try await search(config, ["count by stream"])
    #expect(pipeless.status == 0)
    #expect(pipeless.error.contains("hint: 'count by stream' was searched as free text"))
    #expect(pipeless.error.contains("write '| count by stream'"))
    let range = try await search(config, ["signin", "--last", "forever"])
    #expect(range.status != 0)
    #expect(range.error.contains("--last expects a span"))
    let scratch = try TemporaryDirectory()
    let missing = try BadInputTests.temporaryFile(
      "storage:\n  url: sqlite:/nonexistent/dir/vigil.db\naccounts:\n  - name: a\n    token_file: t\n", in: scratch)
    let none = try await search(missing, ["signin"])
    #expect(none.status == 1)
    #expect(none.error.contains("run `vigil run` or `vigil collect`"))
  }

  @Test func timeOptionsNarrowTheSearch() async throws {
    let (directory, config, events) = try await Self.workspace()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    let day = "2026-11-03"
    let expected = events.filter { $0.time.rfc3339.hasPrefix(day) }.count
    let result = try await search(config, ["| count", "--from", day, "--to", "2026-11-04", "--format", "csv"])
    #expect(result.output == "count\n\(expected)\n")
    let explained = try await search(config, ["signin | count by action", "--from", day, "--explain"])
    #expect(explained.output.contains("rollup_activity"))
  }
}
