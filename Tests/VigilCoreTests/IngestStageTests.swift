import Testing
import VigilBase
import VigilCore
import VigilEventsAPIModel
import VigilJSON
import VigilTestSupport

/// The step from an API page to a batch, without HTTP: normalization, one enrichment snapshot per
/// page, items that cannot be kept counted, the newest event time as the stream's position.
@Suite struct IngestStageTests {
  let key = StreamKey(account: "acme", stream: .signInAttempts)
  let now = Timestamp.fixture("2026-11-21T12:00:00Z")

  func page(_ fixtures: [String], extra: String = "") throws -> EventPage {
    let items = try fixtures.map { String(decoding: try WireFixtures.bytes($0), as: UTF8.self) }
    let body =
      #"{"cursor":"c2","has_more":false,"items":["# + (items + (extra.isEmpty ? [] : [extra])).joined(separator: ",")
      + "]}"
    return try EventPage(stream: .signInAttempts, body: Array(body.utf8))
  }

  @Test func aPageBecomesANormalizedEnrichedBatch() throws {
    let page = try page(
      ["signin-v1.json", "signin-v2-firewall-unknown.json"], extra: #"{"timestamp":"2026-01-01T00:00:00Z"}"#)
    let address = "89.160.20.156"
    let output = IngestStage(key: key).process(
      page, cursor: "c2", caughtUp: true, at: now, enricher: MarkingEnricher(address: address, feed: "tor"))
    let batch = output.batch
    #expect(batch.key == key)
    #expect(batch.cursor == "c2")
    #expect(batch.caughtUp)
    #expect(batch.at == now)
    #expect(batch.events.map(\.uuid) == ["QVWKEOEWXU2DIDHWTK6HGIF4TV", page.items[1].event.uuid])
    #expect(batch.events.allSatisfy { $0.account == "acme" && $0.ingestedAt == now })
    // An item without a uuid cannot be kept: counted, never silent.
    #expect(batch.malformed == page.malformedItems + 1)
    #expect(batch.events.filter { $0.enrichment.threat?.feeds == ["tor"] }.map(\.sourceIP) == [address])
    #expect(output.position == batch.events.map(\.time).max())
  }

  @Test func withoutACursorTheBatchLeavesTheStoredOneAloneAndAnEmptyPageHasNoPosition() throws {
    let output = IngestStage(key: key).process(
      try page([]), cursor: nil, caughtUp: false, at: now, enricher: nil)
    #expect(output.batch.cursor == nil)
    #expect(output.batch.events.isEmpty)
    #expect(output.position == nil)
  }
}
