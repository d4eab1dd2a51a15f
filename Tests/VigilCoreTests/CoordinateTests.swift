import Foundation
import Testing
import VigilBase
import VigilCore
import VigilEventsAPIModel
import VigilJSON
import VigilTestSupport

/// An extreme coordinate once summed to infinity in the map rollups and stopped a stream's commits for
/// good: only finite pairs on the globe are kept.
@Suite struct CoordinateTests {
  func normalized(latitude: String, longitude: String) throws -> Geo {
    var text = String(decoding: try WireFixtures.bytes("itemusage-v1.json"), as: UTF8.self)
    text = text.replacingOccurrences(
      of: #""latitude":43.64,"longitude":-79.433"#, with: "\"latitude\":\(latitude),\"longitude\":\(longitude)")
    #expect(text.contains("\"latitude\":\(latitude)"), "the fixture's coordinates were not replaced")
    let event = try #require(
      Normalizer.normalize(
        raw: Array(text.utf8), account: "acme", stream: .itemUsages, ingestedAt: WireFixtures.ingested))
    return event.geo
  }

  @Test(arguments: [("1e308", "1e308"), ("-1e308", "10"), ("91", "10"), ("45", "-180.5"), ("45", "null")])
  func outOfRangeOrLoneCoordinatesAreDropped(latitude: String, longitude: String) throws {
    let geo = try normalized(latitude: latitude, longitude: longitude)
    #expect(geo.latitude == nil)
    #expect(geo.longitude == nil)
    #expect(geo.city == "Toronto", "the rest of the location stays")
  }

  @Test func ordinaryCoordinatesStay() throws {
    let geo = try normalized(latitude: "-33.87", longitude: "151.21")
    #expect(geo.latitude == -33.87)
    #expect(geo.longitude == 151.21)
  }

  @Test func theRuleItself() {
    #expect(Geo.validCoordinates(latitude: 90, longitude: -180) != nil)
    #expect(Geo.validCoordinates(latitude: .nan, longitude: 0) == nil)
    #expect(Geo.validCoordinates(latitude: .infinity, longitude: 0) == nil)
    #expect(Geo.validCoordinates(latitude: 0, longitude: nil) == nil)
  }
}

@Suite struct StoredTimeTests {
  /// Int64 nanoseconds end in 2262: later times saturate instead of wrapping to 1677.
  @Test func timesBeyond2262SaturateInsteadOfWrapping() {
    let far = Timestamp.fixture("2300-01-01T00:00:00Z")
    #expect(FieldValue.nanoseconds(far) == .max)
    let early = Timestamp.fixture("1600-01-01T00:00:00Z")
    #expect(FieldValue.nanoseconds(early) == .min)
    let ordinary = Timestamp.fixture("2026-12-01T00:00:00.5Z")
    #expect(FieldValue.timestamp(nanoseconds: FieldValue.nanoseconds(ordinary)) == ordinary)
  }
}
