import Foundation
import VigilBase
import VigilCore
import VigilEmulatorCore
import VigilEventsAPIModel
import VigilJSON
import VigilQuery
import VigilRuntime

// Search benchmark, Vigil's side (scripts/bench_search.py drives it and runs DuckDB on the same data).
//   SearchBench generate DB --events N [--days D]   the emulator's organisation (with its attack scenarios),
//                                                    normalized and committed page by page as the collector would
//   SearchBench run DB --now NS --repeat K QUERY...  runs each query K times; prints JSON: median ms, rows, result
// DB is a SQLite path or any `storage.url` (`postgres://…`), opened as the runtime opens it.
// Queries are "TEXT" or "TEXT@@FROM_NS" (a range from FROM_NS to NOW).

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
  FileHandle.standardError.write(Data("usage: SearchBench generate|run DB …\n".utf8))
  exit(2)
}

func option(_ name: String) -> String? {
  guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
  return arguments[index + 1]
}

let path = arguments[2]

switch arguments[1] {
case "generate":
  let target = Int(option("--events") ?? "") ?? 10_000_000
  let days = Int(option("--days") ?? "") ?? 118
  try await generate(path: path, events: target, days: days)
case "run":
  let now =
    Int64(option("--now") ?? "") ?? FieldValue.nanoseconds(Timestamp(epochSeconds: Date().timeIntervalSince1970))
  let repeats = Int(option("--repeat") ?? "") ?? 5
  try await run(path: path, now: now, repeats: repeats, queries: positional(after: 3))
default:
  FileHandle.standardError.write(Data("unknown command \(arguments[1])\n".utf8))
  exit(2)
}

/// Arguments from `start` on that are neither `--name` options nor their values.
func positional(after start: Int) -> [String] {
  var result: [String] = []
  var index = start
  while index < arguments.count {
    if arguments[index].hasPrefix("--") {
      index += 2
    } else {
      result.append(arguments[index])
      index += 1
    }
  }
  return result
}

/// Opens DB the way `vigil run` opens `storage.url`.
func openStore(_ text: String) async throws -> OpenedStore {
  guard let url = StorageURL(text) else { throw UserError("not a store: \(text)") }
  return try await StoreOpener.open(url)
}

func generate(path: String, events target: Int, days: Int) async throws {
  let opened = try await openStore(path)
  defer { opened.close() }
  let store = opened.store
  // About 13 events per member and day over a week (17.5 on weekdays, far fewer at weekends).
  let users = max(10, Int((Double(target) / Double(days) / 13).rounded()))
  let organisation = Organisation.generate(seed: 7, accountIndex: 0, users: users)
  let generator = ActivityGenerator(organisation: organisation, seed: 7, accountIndex: 0)
  let end = Int64(Date().timeIntervalSince1970) / 86_400
  var scenarios = ScenarioBuilder(generator: generator, seed: 7)
  var written = 0
  let started = Date()
  let cursorTime = Timestamp(epochSeconds: Date().timeIntervalSince1970)
  for day in (Int(end) - days + 1)...Int(end) {
    var emulated = generator.events(day: day)
    // One attack scenario every few days, as the demo organisation has them.
    if day % 3 == 0 {
      let name = ScenarioName.allCases[day % ScenarioName.allCases.count]
      emulated += scenarios.build(name, at: Timestamp(seconds: Int64(day) * 86_400 + 40_000)).events
    }
    var byStream: [EventStream: [CanonicalEvent]] = [:]
    for item in emulated.sorted(by: { $0.insertedAt < $1.insertedAt }) {
      var writer = JSONWriter(capacity: 768)
      WireEncoder(version: .v2).encode(item.event, into: &writer)
      if let event = Normalizer.normalize(
        raw: writer.bytes, account: "bench", stream: item.stream, ingestedAt: cursorTime)
      {
        byStream[item.stream, default: []].append(event)
      }
    }
    for (stream, events) in byStream {
      let key = StreamKey(account: "bench", stream: stream)
      for start in stride(from: 0, to: events.count, by: 1000) {
        let page = Array(events[start..<min(events.count, start + 1000)])
        _ = try await store.commit(
          IngestBatch(key: key, events: page, cursor: "d\(day)-\(start)", caughtUp: false, at: cursorTime))
        written += page.count
      }
    }
    let rate = Double(written) / max(0.001, Date().timeIntervalSince(started))
    FileHandle.standardError.write(
      Data("\rday \(day - Int(end) + days)/\(days): \(written) events, \(Int(rate))/s   ".utf8))
  }
  FileHandle.standardError.write(Data("\n".utf8))
  print(#"{"events": \#(written), "users": \#(users), "seconds": \#(Date().timeIntervalSince(started))}"#)
}

func run(path: String, now: Int64, repeats: Int, queries: [String]) async throws {
  let opened = try await openStore(path)
  defer { opened.close() }
  let store = opened.store
  var results: [String] = []
  for entry in queries {
    let parts = entry.components(separatedBy: "@@")
    let range = parts.count > 1 ? TimeRange(from: Int64(parts[1]), to: now) : TimeRange(to: now)
    let plan = try Search.plan(parts[0], range: range, now: now)
    var timings: [Double] = []
    var result = SearchResult(columns: [], rows: [])
    for _ in 0..<max(1, repeats) {
      let start = DispatchTime.now().uptimeNanoseconds
      result = try await Search.run(plan, on: store)
      timings.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
    }
    timings.sort()
    let rows = result.rows.prefix(10).map { row in
      "["
        + row.map { value -> String in
          switch value {
          case nil: "null"
          case .string(let text)?: "\"" + text.replacingOccurrences(of: "\"", with: "'") + "\""
          case .integer(let number)?: String(number)
          case .double(let number)?: String(number)
          case .time(let time)?: String(FieldValue.nanoseconds(time))
          }
        }.joined(separator: ",") + "]"
    }
    results.append(
      #"{"query": "\#(parts[0].replacingOccurrences(of: "\"", with: "'"))", "median_ms": \#(timings[timings.count / 2]), "#
        + #""rows": \#(result.rows.count), "head": [\#(rows.joined(separator: ","))]}"#)
  }
  print("[" + results.joined(separator: ",\n") + "]")
}
