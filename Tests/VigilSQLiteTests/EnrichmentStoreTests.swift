import Foundation
import Testing
import VigilBase
import VigilCore
import VigilEventsAPIModel
import VigilQuery
import VigilSQLite
import VigilTestSupport

@Suite struct EnrichmentStoreTests {

  /// A rescan changes exactly the events whose enrichment changed, and the rollups stay equal to a
  /// recount from the events.
  @Test func rescanUpdatesEventsAndKeepsRollupsExact() async throws {
    let directory = try TemporaryDirectory()
    let store = try SQLiteEventStore(path: directory.path + "/vigil.db")
    var events = SampleEvents.generate(users: 12, days: 3) { _ in "acme" }
    // Some events without a location, so that the rescan's filled coordinates move the map sums.
    for index in events.indices where index % 5 == 0 { events[index].geo = Geo() }
    for stream in EventStream.allCases {
      let batch = events.filter { $0.stream == stream }
      _ = try await store.commit(
        IngestBatch(
          key: StreamKey(account: "acme", stream: stream), events: batch, cursor: nil, caughtUp: true,
          at: SampleEvents.now))
    }
    let target = try #require(events.first { $0.geo.latitude == nil && $0.sourceIP != nil }?.sourceIP)
    let expected = events.filter { $0.sourceIP == target }.count
    let report = try await Rescan.run(
      on: store,
      since: Timestamp(seconds: 0), with: MarkingEnricher(address: target, feed: "late"))
    #expect(report.scanned == events.count)
    #expect(report.newThreatMatches == expected)
    #expect(report.changed >= expected)
    let plan = try Search.plan("threat.feed:late | count", range: .all, now: FieldValue.nanoseconds(SampleEvents.now))
    let counted = try await Search.run(plan, on: store).rows.first?.first
    #expect(counted == .integer(Int64(expected)))
    // Rollups equal a recount (what a fresh store built from the rescanned events would hold).
    let fresh = try SQLiteEventStore(path: directory.path + "/fresh.db")
    let rescanned = try await store.events(after: 0, limit: 1_000_000).map(\.event)
    for stream in EventStream.allCases {
      _ = try await fresh.commit(
        IngestBatch(
          key: StreamKey(account: "acme", stream: stream), events: rescanned.filter { $0.stream == stream },
          cursor: nil, caughtUp: true, at: SampleEvents.now))
    }
    for query in ["* | count by stream, country", "signin | geo", "* | count by outcome, action"] {
      let plan = try Search.plan(query, range: .all, now: FieldValue.nanoseconds(SampleEvents.now))
      let left = try await Search.run(plan, on: store).rows
      let right = try await Search.run(plan, on: fresh).rows
      // Coordinate averages may differ in the last bits: sums were added in another order.
      #expect(Self.close(left, right), "\(query)")
    }
    // A second rescan with the same sources changes nothing.
    let again = try await Rescan.run(
      on: store,
      since: Timestamp(seconds: 0), with: MarkingEnricher(address: target, feed: "late"))
    #expect(again.changed == 0)
    try store.close()
    try fresh.close()
  }

  static func close(_ left: [[FieldValue?]], _ right: [[FieldValue?]]) -> Bool {
    guard left.count == right.count else { return false }
    return zip(left, right).allSatisfy { a, b in
      a.count == b.count
        && zip(a, b).allSatisfy { x, y in
          if case .double(let p)? = x, case .double(let q)? = y { return abs(p - q) <= 1e-9 * max(1, abs(p)) }
          return x == y
        }
    }
  }

}
