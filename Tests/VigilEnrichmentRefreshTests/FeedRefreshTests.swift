import Foundation
import Logging
import Synchronization
import Testing
import VigilBase
import VigilCore
import VigilEnrichment
import VigilEnrichmentRefresh
import VigilEventsAPIModel
import VigilTestSupport

/// URL feeds come through the runtime's transport (its proxy, TLS and redirect rules), are kept on disk,
/// loaded into the snapshot collectors use, and recorded for `vigil status`.
@Suite struct FeedRefreshTests {
  func settings(_ url: String) -> EnrichmentSettings {
    var settings = EnrichmentSettings()
    settings.feeds = [FeedSettings(name: "blocklist", location: .url(url), format: .list)]
    return settings
  }

  func service(_ url: String, transport: any HTTPTransport, store: InMemoryEventStore, directory: String)
    -> EnrichmentService
  {
    EnrichmentService(
      settings: settings(url), provider: EnrichmentProvider(), store: store, dataDirectory: directory,
      transport: transport, clock: ManualClock(start: EmulatorHarness.start), logger: EmulatorHarness.quietLogger)
  }

  @Test func aURLFeedIsDownloadedThroughTheTransportAndApplied() async throws {
    let directory = try TemporaryDirectory()
    let transport = FakeTransport(status: 200, body: "# hostile\n203.0.113.0/24\n198.51.100.7\n")
    let store = InMemoryEventStore()
    let url = "https://feeds.example/list.txt"
    let service = service(url, transport: transport, store: store, directory: directory.path)
    await service.loadNow()
    #expect(transport.requests.map(\.url) == [url])
    #expect(transport.requests.first?.headers.contains { $0.0 == "User-Agent" } == true)
    var event = try WireFixtures.event("signin-v1.json", stream: .signInAttempts)
    event.sourceIP = "203.0.113.9"
    service.provider.enricher?.enrich(&event)
    #expect(event.enrichment.threat?.feeds == ["blocklist"])
    let status = try #require(await store.sourceStatuses().first)
    #expect(status.entries == 2)
    #expect(status.error == nil)
    #expect(status.refreshedAt != nil)
  }

  @Test func aFailedDownloadIsRecordedAndNothingIsKeptHalfWritten() async throws {
    let directory = try TemporaryDirectory()
    let transport = FakeTransport { _ in
      throw TransportFailure("refused a redirect to http://x: only https:// is followed")
    }
    let store = InMemoryEventStore()
    let service = service(
      "https://feeds.example/list.txt", transport: transport, store: store, directory: directory.path)
    await service.loadNow()
    #expect(transport.requests.count == 1)
    let status = try #require(await store.sourceStatuses().first)
    #expect(status.error?.contains("download failed: refused a redirect") == true)
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).allSatisfy { !$0.hasSuffix(".part") })
  }
}
