import Foundation
import VigilBase
import VigilCore
import VigilDetection
import VigilEmulatorCore
import VigilEventsAPIModel
import VigilJSON
import VigilQuery

// The detection benchmark: the whole built-in pack over millions of emulated API items, in insertion
// order (as a collector delivers them), against two baselines measured on the same items in the same
// run: decoding alone (JSON → canonical event), and decoding plus one rule's bare in-memory filter.
// Usage: DetectBench [--events N] [--days D]

func option(_ name: String, _ fallback: Int) -> Int {
  guard let index = CommandLine.arguments.firstIndex(of: name), index + 1 < CommandLine.arguments.count,
    let value = Int(CommandLine.arguments[index + 1])
  else { return fallback }
  return value
}

func cpuSeconds() -> Double {
  var usage = rusage()
  getrusage(RUSAGE_SELF.rawValue, &usage)
  return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec)
    + Double(usage.ru_stime.tv_usec) / 1e6
}

func residentMiB() -> Double {
  guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
    let pages = text.split(separator: " ").dropFirst().first.flatMap({ Double($0) })
  else { return 0 }
  return pages * 4096 / 1_048_576
}

let target = option("--events", 5_000_000)
let days = option("--days", 118)
let users = max(10, Int((Double(target) / Double(days) / 13).rounded()))
let organisation = Organisation.generate(seed: 7, accountIndex: 0, users: users)
let generator = ActivityGenerator(organisation: organisation, seed: 7, accountIndex: 0)
var scenarios = ScenarioBuilder(generator: generator, seed: 7)
let library = RuleLibrary.builtIn
guard library.problems.isEmpty else { fatalError("the built-in pack has problems: \(library.problems)") }
var engine = DetectionEngine(rules: library.rules)
guard let oneRule = library.rule("signin.brute_force_user") else { fatalError("no signin.brute_force_user") }
let ingested = Timestamp(seconds: 1_790_000_000)
let end = 20_700
var decodeSeconds = 0.0
var filterSeconds = 0.0
var detectSeconds = 0.0
var events = 0
var matched = 0
var alerts: [AlertID: Alert] = [:]
var peakState = engine.statistics
let watchlists = Watchlists.standard()
print("detection benchmark: \(library.rules.filter(\.enabled).count) enabled rules, \(users) users, \(days) days")
for day in (end - days + 1)...end {
  var emulated = generator.events(day: day)
  if day % 3 == 0 {
    let name = ScenarioName.allCases[day % ScenarioName.allCases.count]
    emulated += scenarios.build(name, at: Timestamp(seconds: Int64(day) * 86_400 + 40_000)).events
  }
  let items: [(EventStream, [UInt8])] = emulated.sorted { $0.insertedAt < $1.insertedAt }.map { item in
    var writer = JSONWriter(capacity: 768)
    WireEncoder(version: .v2).encode(item.event, into: &writer)
    return (item.stream, writer.bytes)
  }
  // Baseline 1: decoding alone.
  var start = cpuSeconds()
  var decoded: [CanonicalEvent] = []
  decoded.reserveCapacity(items.count)
  for (stream, bytes) in items {
    if let event = Normalizer.normalize(raw: bytes, account: "bench", stream: stream, ingestedAt: ingested) {
      decoded.append(event)
    }
  }
  decodeSeconds += cpuSeconds() - start
  // Baseline 2: one rule's bare filter over the decoded events.
  start = cpuSeconds()
  for event in decoded where oneRule.selects(event, watchlists: watchlists) { matched += 1 }
  filterSeconds += cpuSeconds() - start
  // The whole pack.
  start = cpuSeconds()
  for event in decoded {
    events += 1
    for alert in engine.observe(event, sequence: Int64(events)) { alerts[alert.id] = alert }
  }
  detectSeconds += cpuSeconds() - start
  let statistics = engine.statistics
  if statistics.remembered > peakState.remembered { peakState = statistics }
  if day % 10 == 0 {
    FileHandle.standardError.write(Data("\r\(events) events, \(alerts.count) alerts   ".utf8))
  }
  if events >= target { break }
}
for alert in engine.finish() { alerts[alert.id] = alert }
FileHandle.standardError.write(Data("\n".utf8))
let decodeRate = Double(events) / decodeSeconds
let filterRate = Double(events) / (decodeSeconds + filterSeconds)
let detectRate = Double(events) / detectSeconds
let endToEnd = Double(events) / (decodeSeconds + detectSeconds)
let final = engine.statistics
print(String(format: "%d events, %d alerts, %d matched by the one-rule filter", events, alerts.count, matched))
print(String(format: "decode alone:                 %10.0f events per CPU-s", decodeRate))
print(String(format: "decode + one rule's filter:   %10.0f events per CPU-s", filterRate))
print(
  String(
    format: "the pack alone (decoded):     %10.0f events per CPU-s (goal 500k: %.2fx)", detectRate, detectRate / 500_000
  ))
print(
  String(
    format: "decode + the pack:            %10.0f events per CPU-s (%.2fx of decode alone, %.2fx of one rule)",
    endToEnd, endToEnd / decodeRate, endToEnd / filterRate))
print(
  "state: peak \(peakState.remembered) remembered events in \(peakState.groups) groups, \(peakState.openAlerts) open alerts; "
    + "at the end \(final.remembered) events, \(final.groups) groups; \(final.evicted) evictions, \(final.tooLate) too late"
)
print(String(format: "resident memory at the end: %.0f MiB", residentMiB()))
