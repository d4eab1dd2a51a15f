import Foundation
import Logging
import Testing
import VigilBase
import VigilCore
import VigilEventsAPIModel
import VigilForwarder
import VigilHTTP
import VigilSinks
import VigilTestSupport

/// A sink tails the log into a loopback Elasticsearch that enforces the bulk contract: every event
/// arrives once, per-item 429s are sent again, per-item 400s are quarantined with the reason (and sent
/// again on request), and an outage loses nothing.
@Suite struct SinkServiceTests {
  static func service(
    _ url: String, store: InMemoryEventStore, transport: any HTTPTransport, mode: ElasticsearchDestination.Mode = .ecs
  ) -> SinkService {
    let destination = ElasticsearchDestination(
      url: url, mode: mode, namespace: "prod", auth: .apiKey("k3y"), compress: mode == .integration)
    return SinkHarness.service(
      "elastic", HTTPSinkConnection(destination: destination, transport: transport), store: store)
  }

  @Test func everyEventArrivesOnceAsECSWithPartialFailuresHandled() async throws {
    let events = SampleEvents.generate(users: 6, days: 1) { _ in "acme" }
    let store = try await SinkHarness.store(events)
    let transport = try AsyncHTTPTransport(settings: HTTPSettings())
    do {
      try await VendorReceiver.with(ElasticsearchContract(authorization: "ApiKey k3y")) { receiver, url in
        let ids = events.map { "acme:\($0.stream.rawValue):\($0.uuid)" }
        let throttled = ids[3]
        let refused = ids[7]
        receiver.throttleOnce([throttled])
        receiver.reject([refused])
        let newest = await store.newestSequence()
        try await SinkHarness.run(Self.service(url, store: store, transport: transport)) {
          await store.checkpoint("sink:elastic") == newest
        }
        #expect(receiver.problems.isEmpty)
        #expect(receiver.requests.allSatisfy { $0.query == "pipeline=_none" })
        let arrived = receiver.documents.compactMap(\.id)
        #expect(Set(arrived) == Set(ids).subtracting([refused]))
        #expect(arrived.count == Set(arrived).count)
        // The throttled document was sent again (it arrived, after the others of its batch).
        #expect(arrived.contains(throttled))
        let quarantined = await store.quarantined(sink: "elastic", limit: 10)
        #expect(quarantined.map { "acme:\($0.stream.rawValue):\($0.uuid)" } == [refused])
        #expect(quarantined.first?.reason.contains("document_parsing_exception") == true)
        // Audit events carry the actor's name in user.name, as Elastic's pipeline puts it.
        let audit = receiver.documents.filter { $0.destination == "logs-1password.audit_events-prod" }
        #expect(!audit.isEmpty)
        #expect(
          audit.allSatisfy { $0.value("user.name") != nil && $0.value("data_stream.namespace") as? String == "prod" })
        let status = await store.sinkStatuses().first
        #expect(status?.delivered == Int64(events.count - 1))

        // `vigil sinks retry`: the receiver accepts it now, and the quarantine empties.
        receiver.reject([])
        #expect(await store.requestRetry(sink: "elastic") == 1)
        try await SinkHarness.run(Self.service(url, store: store, transport: transport)) {
          await store.quarantineCounts().isEmpty
        }
        #expect(Set(receiver.documents.compactMap(\.id)) == Set(ids))
      }
    } catch {
      try? await transport.shutdown()
      throw error
    }
    try await transport.shutdown()
  }

  @Test func anOutageLosesNothingAndHoldsTheCheckpoint() async throws {
    let events = SampleEvents.generate(users: 4, days: 1) { _ in "acme" }
    let first = Array(events.prefix(events.count / 2))
    let store = try await SinkHarness.store(first)
    let transport = try AsyncHTTPTransport(settings: HTTPSettings())
    do {
      try await VendorReceiver.with(ElasticsearchContract(authorization: "ApiKey k3y")) { receiver, url in
        receiver.refuse(true)
        let service = Self.service(url, store: store, transport: transport, mode: .integration)
        let task = Task { try await service.run() }
        defer { task.cancel() }
        // The receiver is down while more events are collected: requests fail and the checkpoint stays.
        while receiver.requests.count < 3 { try await Task.sleep(for: .milliseconds(20)) }
        _ = try await store.commit(
          IngestBatch(
            key: StreamKey(account: "acme", stream: .auditEvents), events: Array(events.dropFirst(first.count)),
            cursor: "d", caughtUp: true, at: SampleEvents.now))
        #expect(await store.checkpoint("sink:elastic") == nil)
        #expect(receiver.documents.isEmpty)
        #expect(await store.sinkStatuses().first?.isFailing == true)
        receiver.refuse(false)
        let newest = await store.newestSequence()
        let deadline = Date().addingTimeInterval(240)
        while await store.checkpoint("sink:elastic") != newest, Date() < deadline {
          try await Task.sleep(for: .milliseconds(20))
        }
        task.cancel()
        _ = try? await task.value
        #expect(receiver.documents.count == events.count)
        #expect(Set(receiver.documents.compactMap(\.id)).count == events.count)
        // Integration mode: the raw event in `message`, for Elastic's own pipeline.
        #expect(receiver.documents.allSatisfy { ($0.value("message") as? String)?.hasPrefix("{") == true })
        #expect(receiver.requests.allSatisfy { $0.query.isEmpty })
        // Integration mode compresses (the ECS test above does not): the receiver decoded gzip.
        #expect(
          receiver.requests.allSatisfy { $0.headers["content-encoding"] == "gzip" && $0.wireBytes < $0.body.count })
      }
    } catch {
      try? await transport.shutdown()
      throw error
    }
    try await transport.shutdown()
  }
}
