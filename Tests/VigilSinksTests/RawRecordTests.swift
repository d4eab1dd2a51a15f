import Testing
import VigilBase
import VigilCore
import VigilFormats
import VigilSinks
import VigilTestSupport

/// A receiver that takes the raw event encodes it the same from the raw log as from the decoded event,
/// byte for byte; the others say they need the decoded event.
@Suite struct RawRecordTests {
  static let stored = SampleEvents.generate(users: 3, days: 2) { _ in "acme" }.enumerated().map {
    StoredEvent(sequence: Int64($0.offset + 1), event: $0.element)
  }

  static let rawReaders: [(String, any HTTPDestination)] = [
    ("splunk", SplunkHECDestination(url: "https://s.example.com", token: "t", index: "i", host: "h")),
    ("datadog attribute", DatadogDestination(url: "https://d.example.com", apiKey: "k", tags: ["env:prod"])),
    ("datadog skip", DatadogDestination(url: "https://d.example.com", apiKey: "k", oldEvents: .skip)),
    ("sentinel", SentinelDestination(endpoint: "https://e.example.com", ruleID: "r")),
    (
      "elasticsearch integration",
      ElasticsearchDestination(url: "https://es.example.com", mode: .integration, namespace: "prod", auth: .none)
    ),
    ("sumologic raw", SumoLogicDestination(url: "https://sumo.example.com/r", format: .raw)),
    ("http raw ndjson", GenericHTTPDestination(url: "https://h.example.com", format: .raw)),
    ("http raw array", GenericHTTPDestination(url: "https://h.example.com", format: .raw, framing: .jsonArray)),
  ]

  @Test func rawRecordsEqualDecodedRecords() {
    for (name, destination) in Self.rawReaders {
      #expect(destination.readsRaw, "\(name)")
      for stored in Self.stored {
        let decoded = destination.record(stored, now: SampleEvents.now)
        let raw = destination.rawRecord(RawStoredEvent(stored), now: SampleEvents.now)
        #expect(raw == decoded, "\(name): \(stored.event.uuid)")
      }
    }
  }

  @Test func receiversThatNeedTheDecodedEventSaySo() {
    let decodedReaders: [any HTTPDestination] = [
      ElasticsearchDestination(url: "https://es.example.com", mode: .ecs, auth: .none),
      OTLPDestination(endpoint: "https://o.example.com"),
      SumoLogicDestination(url: "https://sumo.example.com/r", format: .ecs),
      GenericHTTPDestination(url: "https://h.example.com", format: .ocsf),
    ]
    for destination in decodedReaders {
      #expect(!destination.readsRaw)
      #expect(destination.rawRecord(RawStoredEvent(Self.stored[0]), now: SampleEvents.now) == nil)
    }
  }
}
