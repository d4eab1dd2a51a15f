import Foundation
import Logging
import VigilBase
import VigilCore
import VigilEventsAPIModel
import VigilForwarder
import VigilHTTP
import VigilSinks
import VigilTestSupport

/// Running a sink over a store of sample events, against a loopback receiver.
enum SinkHarness {
  static let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

  static func store(_ events: [CanonicalEvent], into store: InMemoryEventStore = InMemoryEventStore()) async throws
    -> InMemoryEventStore
  {
    for stream in EventStream.allCases {
      let batch = events.filter { $0.stream == stream }
      guard !batch.isEmpty else { continue }
      _ = try await store.commit(
        IngestBatch(
          key: StreamKey(account: "acme", stream: stream), events: batch, cursor: "c\(events.count)", caughtUp: true,
          at: SampleEvents.now))
    }
    return store
  }

  static func service(
    _ name: String, _ connection: any SinkConnection, store: InMemoryEventStore, events: Int = 100,
    clock: any VigilClock = SystemClock(), selection: SinkSelection = .everyEvent
  ) -> SinkService {
    var settings = SinkService.Settings()
    settings.pollInterval = 0.02
    settings.backoff = Backoff(base: 0.02, cap: 0.1)
    return SinkService(
      name: name, connection: connection, selection: selection,
      batch: .init(events: events, bytes: 1 << 20, seconds: 0.05),
      store: store, settings: settings, clock: clock, logger: logger)
  }

  /// Runs the sink until `done` holds (at most 4 minutes: a bound for a loaded run on two cores, not a
  /// speed expectation), then stops it.
  static func run(_ service: SinkService, until done: @escaping @Sendable () async throws -> Bool) async throws {
    let task = Task { try await service.run() }
    defer { task.cancel() }
    let deadline = Date().addingTimeInterval(240)
    while try await !done(), Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
    task.cancel()
    _ = try? await task.value
  }

  /// Runs the sink until its checkpoint reaches the end of the log.
  static func runToEnd(_ service: SinkService, name: String, store: InMemoryEventStore) async throws {
    let newest = await store.newestSequence()
    try await run(service) { await store.checkpoint("sink:\(name)") == newest }
  }

  /// Runs `body` with a live HTTP transport, shut down afterwards even when `body` throws.
  static func withTransport<T>(_ body: (any HTTPTransport) async throws -> T) async throws -> T {
    let transport = try AsyncHTTPTransport(settings: HTTPSettings())
    let result: Result<T, any Error>
    do { result = .success(try await body(transport)) } catch { result = .failure(error) }
    try await transport.shutdown()
    return try result.get()
  }

  /// The event's raw JSON object.
  static func raw(_ event: CanonicalEvent) -> NSDictionary {
    ((try? JSONSerialization.jsonObject(with: Data(event.raw))) as? [String: Any]).map { NSDictionary(dictionary: $0) }
      ?? [:]
  }

  /// Events by uuid (unique in the samples).
  static func byUUID(_ events: [CanonicalEvent]) -> [String: CanonicalEvent] {
    Dictionary(events.map { ($0.uuid, $0) }, uniquingKeysWith: { first, _ in first })
  }
}
