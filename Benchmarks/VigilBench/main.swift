import Foundation
import VigilEmulatorCore
import VigilEventsAPIModel
import VigilJSON

// Decoding benchmark: one realistic 1000-event sign-in page (from the emulator's organisation), decoded
// by Vigil's reader and by Foundation's JSONDecoder in the same run. Prints events/s, MB/s and ratios.
// Usage: VigilBench [--iterations N] [--write-page PATH]

/// Foundation baseline: the same fields, Codable.
struct FoundationSignIn: Decodable {
  struct User: Decodable {
    var uuid: String?
    var name: String?
    var email: String?
    var user_type: String?
    var user_account_uuid: String?
  }
  struct Client: Decodable {
    var app_name, app_version, platform_name, platform_version, os_name, os_version, ip_address: String?
  }
  struct Location: Decodable {
    var country, region, city: String?
    var latitude, longitude: Double?
  }
  struct Details: Decodable { var value: String? }
  var uuid, session_uuid, timestamp, category, type, country, account_uuid: String?
  var details: Details?
  var target_user: User?
  var client: Client?
  var location: Location?
}

struct FoundationPage: Decodable {
  var items: [FoundationSignIn]
  var cursor: String
  var has_more: Bool
}

func makePage() -> [UInt8] {
  let organisation = Organisation.generate(seed: 7, accountIndex: 0, users: 400)
  let generator = ActivityGenerator(organisation: organisation, seed: 7, accountIndex: 0)
  var events: [EmulatedEvent] = []
  var day = 20_400
  while events.count < 1000 {
    events += generator.events(day: day).filter { $0.stream == .signInAttempts }
    day += 1
  }
  var writer = JSONWriter(capacity: 1 << 20)
  writer.beginObject()
  writer.field("cursor", "aGVsbG8hIGlzIGl0IG1lIHlvdSBhcmUgbG9va2luZyBmb3IK")
  writer.field("has_more", true)
  writer.key("items")
  writer.beginArray()
  let encoder = WireEncoder(version: .v2, nullDetails: true)
  for event in events.prefix(1000) { encoder.encode(event.event, into: &writer) }
  writer.endArray()
  writer.endObject()
  return writer.bytes
}

func measure(_ label: String, iterations: Int, _ body: () throws -> Int) rethrows -> Double {
  var events = 0
  _ = try body()  // warm-up
  let clock = ContinuousClock()
  let start = clock.now
  for _ in 0..<iterations { events += try body() }
  let elapsed = clock.now - start
  let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
  return Double(events) / seconds
}

var iterations = 200
var writePath: String?
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
  switch argument {
  case "--iterations": iterations = Int(arguments.next() ?? "") ?? iterations
  case "--write-page": writePath = arguments.next()
  default: break
  }
}

let page = makePage()
if let writePath { try Data(page).write(to: URL(fileURLWithPath: writePath)) }
let data = Data(page)
let megabytes = Double(page.count) / 1_000_000
print("page: 1000 sign-in attempts, \(page.count) bytes; \(iterations) iterations each")

let decoder = JSONDecoder()
let foundation = try measure("foundation", iterations: max(10, iterations / 5)) {
  try decoder.decode(FoundationPage.self, from: data).items.count
}
let vigil = try measure("vigil", iterations: iterations) {
  try EventPage(stream: .signInAttempts, body: page).items.count
}
let validateOnly = try measure("vigil-validate", iterations: iterations) {
  try JSONDocument(bytes: page).root["items"]?.count ?? 0
}
func line(_ name: String, _ eventsPerSecond: Double) -> String {
  let mbps = eventsPerSecond / 1000 * megabytes
  return
    "\(name): \(Int(eventsPerSecond)) events/s, \(Int(mbps)) MB/s, \(String(format: "%.1f", eventsPerSecond / foundation))× Foundation"
}
print(line("Foundation JSONDecoder (baseline)", foundation))
print(line("Vigil EventPage decode (typed views + raw bytes)", vigil))
print(line("Vigil JSON reader, parse and validate only", validateOnly))
