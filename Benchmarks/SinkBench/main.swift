import CompressNIO
import Foundation
import Hummingbird
import Logging
import NIOCore
import NIOPosix
import VigilBase
import VigilCore
import VigilEmulatorCore
import VigilEventsAPIModel
import VigilForwarder
import VigilHTTP
import VigilJSON
import VigilSQLite
import VigilSinks

// The sink benchmark: every sink delivering the same stored events (SQLite, as `vigil run` reads them)
// to a local receiver, in CPU-seconds of Vigil's process only (the receivers run in a child process:
// this one with `--receive`). Each sink's figure is set against its encoding alone (reading the log
// is included in neither), measured in the same run.
// Usage: SinkBench [--events N] [--sink NAME-PREFIX]

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

/// The child: answers every receiver's success shape as cheaply as it can, plus a TCP discard port for
/// syslog, and prints both ports.
func receive() async throws {
  let router = Router()
  router.post("**") { request, _ -> Response in
    var body = try await request.body.collect(upTo: 256 << 20)
    let path = request.uri.path
    var answer = "{}"
    var status = 200
    if path == "/_bulk" {
      if request.headers[.contentEncoding] == "gzip" {
        body = try body.decompressGzip()
      }
      let count = body.readableBytesView.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) } / 2
      let item = #"{"create":{"status":201}}"#
      answer =
        #"{"took":1,"errors":false,"items":["# + Array(repeating: item, count: count).joined(separator: ",") + "]}"
    } else if path.hasSuffix("/oauth2/v2.0/token") {
      answer = #"{"token_type":"Bearer","expires_in":3599,"access_token":"bench"}"#
    } else if path.hasPrefix("/dataCollectionRules/") {
      status = 204
    } else if path == "/api/v2/logs" {
      status = 202
    } else if path == "/services/collector/event" {
      answer = #"{"text":"Success","code":0}"#
    }
    return Response(
      status: .init(code: status), headers: [.contentType: "application/json"],
      body: status == 204 ? .init() : .init(byteBuffer: ByteBuffer(string: answer)))
  }
  let discard = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
    .childChannelInitializer { channel in channel.eventLoop.makeSucceededVoidFuture() }
    .bind(host: "127.0.0.1", port: 0).get()
  var logger = Logger(label: "bench.receiver")
  logger.logLevel = .critical
  let tcpPort = discard.localAddress?.port ?? 0
  let application = Application(
    router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
    onServerRunning: { channel in
      FileHandle.standardOutput.write(Data("\(channel.localAddress?.port ?? 0) \(tcpPort)\n".utf8))
    }, logger: logger)
  // Stops when the parent closes stdin.
  Thread.detachNewThread {
    while FileHandle.standardInput.availableData.count > 0 {}
    exit(0)
  }
  try await application.runService()
}

extension ByteBuffer {
  func decompressGzip() throws -> ByteBuffer {
    var copy = self
    return try copy.decompress(with: .gzip(), maxSize: 512 << 20)
  }
}

if CommandLine.arguments.contains("--receive") {
  try await receive()
  exit(0)
}

// The events: the emulator's organisation, normalized as the collector would, stored in SQLite.
let target = option("--events", 200_000)
let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-sinkbench-\(getpid())").path
try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: directory) }
let store = try SQLiteEventStore(path: directory + "/vigil.sqlite")
let days = max(2, target / 20_000)
let users = max(10, Int((Double(target) / Double(days) / 13).rounded()))
let generator = ActivityGenerator(
  organisation: Organisation.generate(seed: 7, accountIndex: 0, users: users), seed: 7, accountIndex: 0)
let ingested = Timestamp(seconds: 1_790_000_000)
var stored = 0
for day in (20_700 - days + 1)...20_700 where stored < target {
  var byStream: [EventStream: [CanonicalEvent]] = [:]
  for item in generator.events(day: day) {
    var writer = JSONWriter(capacity: 768)
    WireEncoder(version: .v2).encode(item.event, into: &writer)
    if let event = Normalizer.normalize(raw: writer.bytes, account: "bench", stream: item.stream, ingestedAt: ingested)
    {
      byStream[item.stream, default: []].append(event)
    }
  }
  for (stream, events) in byStream {
    let events = Array(events.prefix(target - stored))
    guard !events.isEmpty else { continue }
    _ = try await store.commit(
      IngestBatch(
        key: StreamKey(account: "bench", stream: stream), events: events, cursor: "d\(day)", caughtUp: false,
        at: ingested))
    stored += events.count
  }
}
let newest = try await store.newestSequence()
print("sink benchmark: \(stored) events in SQLite, each sink to a receiver in a child process")

// The receivers.
let child = Process()
child.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
child.arguments = ["--receive"]
let childInput = Pipe()
let childOutput = Pipe()
child.standardInput = childInput
child.standardOutput = childOutput
try child.run()
defer { try? childInput.fileHandleForWriting.close() }
var portLine = Data()
while !portLine.contains(0x0A) {
  let chunk = childOutput.fileHandleForReading.availableData
  guard !chunk.isEmpty else { fatalError("the receiver did not start") }
  portLine.append(chunk)
}
let ports = String(decoding: portLine, as: UTF8.self).split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
guard ports.count == 2 else { fatalError("the receiver printed no ports") }
let base = "http://127.0.0.1:\(ports[0])"
let transport = try AsyncHTTPTransport(settings: HTTPSettings())
let clock = SystemClock()

var syslogSettings = SinkSettings.Syslog(host: "127.0.0.1", port: ports[1])
syslogSettings.transport = .tcp
var fileSettings = SinkSettings.File(path: directory + "/out/events.ndjson")
fileSettings.rotateBytes = 256 << 20
try FileManager.default.createDirectory(atPath: directory + "/out", withIntermediateDirectories: true)
let tokens = EntraTokens(
  request: EntraTokenRequest(tenant: "bench", clientID: "id", clientSecret: "secret", authority: base),
  transport: transport, clock: clock)

let sinks: [(String, any SinkConnection, http: Bool)] = [
  (
    "elasticsearch (ECS)",
    HTTPSinkConnection(
      destination: ElasticsearchDestination(url: base, mode: .ecs, auth: .apiKey("k")), transport: transport), true
  ),
  (
    "elasticsearch (integration)",
    HTTPSinkConnection(
      destination: ElasticsearchDestination(url: base, mode: .integration, auth: .apiKey("k")), transport: transport),
    true
  ),
  (
    "splunk_hec",
    HTTPSinkConnection(destination: SplunkHECDestination(url: base, token: "t"), transport: transport), true
  ),
  (
    "datadog",
    HTTPSinkConnection(destination: DatadogDestination(url: base, apiKey: "k"), transport: transport), true
  ),
  (
    "sumologic",
    HTTPSinkConnection(
      destination: SumoLogicDestination(url: base + "/receiver/v1/http/x"), transport: transport), true
  ),
  (
    "sentinel",
    HTTPSinkConnection(
      destination: SentinelDestination(endpoint: base, ruleID: "dcr"), transport: transport, tokens: tokens), true
  ),
  ("otlp", HTTPSinkConnection(destination: OTLPDestination(endpoint: base), transport: transport), true),
  (
    "http (ndjson)",
    HTTPSinkConnection(destination: GenericHTTPDestination(url: base + "/ingest"), transport: transport), true
  ),
  ("syslog (tcp, json)", try SyslogConnection(settings: syslogSettings, hostname: "bench"), false),
  ("file (ndjson)", FileSinkConnection(settings: fileSettings, clock: clock), false),
]

let logger = Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })
let now = clock.now
// What every sink pays before encoding: reading the log (SQLite rows back into events).
var readSeconds = 0.0
do {
  var position: Int64 = 0
  let start = cpuSeconds()
  while let last = try await store.events(after: position, limit: 5_000).last { position = last.sequence }
  readSeconds = cpuSeconds() - start
}
print(String(format: "reading the log alone: %.0f events per CPU-second", Double(stored) / readSeconds))
print("")
print("sink                          encode only    delivered        ratio  wall")
var slowestHTTP = Double.infinity
// `--sink PREFIX` measures only the sinks whose name starts with it (for profiling one).
let only = CommandLine.arguments.firstIndex(of: "--sink").flatMap {
  $0 + 1 < CommandLine.arguments.count ? CommandLine.arguments[$0 + 1] : nil
}
for (index, (name, connection, isHTTP)) in sinks.enumerated() where only.map({ name.hasPrefix($0) }) ?? true {
  // Baseline: encoding every stored event for this receiver, reading the log outside the timing.
  var encodeSeconds = 0.0
  var position: Int64 = 0
  var bytes = 0
  while true {
    let page = try await store.events(after: position, limit: 5_000)
    guard let last = page.last else { break }
    let start = cpuSeconds()
    for event in page {
      if case .send(let record) = connection.record(event, now: now) { bytes += record.count }
    }
    encodeSeconds += cpuSeconds() - start
    position = last.sequence
  }
  // The sink: tail, encode, batch, request (gzip where the receiver takes it), answer, checkpoint.
  var settings = SinkService.Settings()
  settings.pollInterval = 0.05
  settings.readSize = 5_000
  let consumer = "bench\(index)"
  let service = SinkService(
    name: consumer, connection: connection, batch: .init(events: 5_000, bytes: 5 << 20, seconds: 1),
    store: store, settings: settings, clock: clock, logger: logger)
  let wallStart = Date()
  let start = cpuSeconds()
  let task = Task { try await service.run() }
  while try await store.checkpoint("sink:\(consumer)") != newest { try await Task.sleep(for: .milliseconds(5)) }
  let sinkSeconds = cpuSeconds() - start
  let wall = Date().timeIntervalSince(wallStart)
  task.cancel()
  _ = try? await task.value
  let encodeRate = Double(stored) / encodeSeconds
  let sinkRate = Double(stored) / sinkSeconds
  if isHTTP { slowestHTTP = min(slowestHTTP, sinkRate) }
  print(
    name.padding(toLength: 28, withPad: " ", startingAt: 0)
      + String(format: "%9.0f/s  %9.0f/s  %9.2fx  %5.1fs", encodeRate, sinkRate, sinkRate / encodeRate, wall)
      + "  (\(bytes / max(1, stored)) B/event)")
}
print("")
print(
  String(
    format: "slowest HTTP sink: %.0f events per CPU-second of Vigil's process (target 50,000: %.2fx)", slowestHTTP,
    slowestHTTP / 50_000))
try await transport.shutdown()
