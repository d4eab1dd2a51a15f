import Foundation
import Testing
import VigilBase
import VigilCollector
import VigilCore
import VigilEmulatorCore
import VigilEventsAPI
import VigilEventsAPIModel
import VigilForwarder
import VigilSinks
import VigilTestSupport

/// The outage test with the real collector: it backfills from the emulator while the Elasticsearch
/// receiver refuses everything; the sink holds its checkpoint; when the receiver comes back, every
/// event the collector stored arrives, exactly once, and the store holds the emulator's ground truth.
@Suite struct CollectorOutageTests {
  @Test func everyCollectedEventArrivesAfterAnOutage() async throws {
    try await withEmulatorHarness(users: 12, days: 3) { harness in
      let store = InMemoryEventStore()
      let issued = try harness.engine.issueToken(account: nil)
      let client = try harness.client(try EventsToken(issued.token))
      var options = CollectorOptions()
      options.untilCaughtUp = true
      options.pollInterval = 30
      let collector = Collector(
        accounts: [
          CollectorAccount(
            name: "acme", client: client, streams: EventStream.allCases,
            start: EmulatorHarness.start.adding(seconds: -30 * 86_400))
        ], store: store, clock: harness.clock, options: options, logger: EmulatorHarness.quietLogger)
      try await SinkHarness.withTransport { transport in
        try await VendorReceiver.with(ElasticsearchContract(authorization: "ApiKey k3y")) { receiver, url in
          receiver.refuse(true)
          let destination = ElasticsearchDestination(
            url: url, mode: .integration, namespace: "prod", auth: .apiKey("k3y"))
          let service = SinkHarness.service(
            "elastic", HTTPSinkConnection(destination: destination, transport: transport), store: store, events: 50)
          let sink = Task { try await service.run() }
          defer { sink.cancel() }
          // The collector backfills while every delivery fails.
          let outcomes = await collector.collect()
          #expect(outcomes.count == EventStream.allCases.count)
          // The sink has tried, and failed, at least once (it may start after a short backfill ends).
          let tried = Date().addingTimeInterval(30)
          while !receiver.statuses.contains(503), Date() < tried { try await Task.sleep(for: .milliseconds(20)) }
          #expect(receiver.statuses.contains(503), "the outage never happened")
          #expect(receiver.documents.isEmpty)
          #expect(await store.checkpoint("sink:elastic") == nil)
          // The receiver comes back: everything arrives.
          receiver.refuse(false)
          let newest = await store.newestSequence()
          let deadline = Date().addingTimeInterval(240)
          while await store.checkpoint("sink:elastic") != newest, Date() < deadline {
            try await Task.sleep(for: .milliseconds(20))
          }
          sink.cancel()
          _ = try? await sink.value
          var stored: [String] = []
          for stream in EventStream.allCases {
            let key = StreamKey(account: "acme", stream: stream)
            let uuids = await store.uuids(key)
            let caughtUp = try #require(await store.streamState(key)?.caughtUpAt)
            let problems = GroundTruth.problems(
              stored: uuids, caughtUp: caughtUp, engine: harness.engine, stream: stream)
            #expect(problems.isEmpty, "\(problems)")
            stored += uuids.map { "acme:\(stream.rawValue):\($0)" }
          }
          let arrived = receiver.documents.compactMap(\.id)
          #expect(!stored.isEmpty)
          #expect(arrived.count == Set(arrived).count)
          #expect(Set(arrived) == Set(stored))
          #expect(receiver.problems.isEmpty)
        }
      }
    }
  }
}
