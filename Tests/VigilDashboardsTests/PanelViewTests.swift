import Testing
import VigilBase
import VigilCharts
import VigilCore
import VigilDashboards
import VigilEventsAPIModel
import VigilQuery
import VigilTestSupport

/// Search results become charts: buckets filled with zeros, series by group with "other", categories
/// with the comparison, countries for the map, and drill-down links that reproduce the filter.
@Suite struct PanelViewTests {
  static func store() async throws -> InMemoryEventStore {
    let store = InMemoryEventStore()
    for stream in EventStream.allCases {
      _ = try await store.commit(
        IngestBatch(
          key: StreamKey(account: "acme", stream: stream), events: SampleEvents.of(stream), cursor: nil, caughtUp: true,
          at: SampleEvents.now))
    }
    return store
  }

  static let now = FieldValue.nanoseconds(SampleEvents.now)

  @Test func timechartsFillEveryBucket() async throws {
    let panel = Panel(id: "t", title: "t", query: "signin | timechart span=1h count by outcome", chart: .line)
    let view = await PanelRunner.run(panel, window: TimeWindow(last: "24h"), now: Self.now, on: try await Self.store())
    guard case .series(let series) = view.chart else {
      Issue.record("not a series: \(view.chart)")
      return
    }
    #expect(series.buckets.count == 24 || series.buckets.count == 25)
    #expect(series.lines.map(\.name).sorted() == ["failure", "success"])
    let total = series.lines.reduce(0) { $0 + $1.values.reduce(0, +) }
    let count = await PanelRunner.run(
      Panel(id: "c", title: "c", query: "signin | count", chart: .single), window: TimeWindow(last: "24h"),
      now: Self.now,
      on: try await Self.store())
    #expect(String(Int(total)) == count.rows.first?.first)
    #expect(series.lines.allSatisfy { $0.link?.contains("outcome%3A%22") == true })
  }

  @Test func categoriesCarryTheComparisonAndTheirFilter() async throws {
    let panel = Panel(
      id: "t", title: "t", query: "signin outcome:failure | count by action | compare 1d", chart: .toplist)
    let view = await PanelRunner.run(panel, window: TimeWindow(last: "24h"), now: Self.now, on: try await Self.store())
    guard case .categories(let categories) = view.chart, let first = categories.first else {
      Issue.record("no categories")
      return
    }
    #expect(first.previous != nil)
    let link = try #require(first.link)
    #expect(link.hasPrefix("/search?q=signin%20outcome%3Afailure%20event.action%3A%22"))
    #expect(link.hasSuffix("&last=24h"))
  }

  @Test func geoGivesCountriesWithTheirPositions() async throws {
    let panel = Panel(id: "m", title: "m", query: "| geo", chart: .map)
    let view = await PanelRunner.run(panel, window: TimeWindow(last: "7d"), now: Self.now, on: try await Self.store())
    guard case .geo(let countries, _) = view.chart else {
      Issue.record("not geo")
      return
    }
    #expect(!countries.isEmpty)
    #expect(countries.allSatisfy { $0.countryCode.count == 2 && $0.link?.contains("geo.country_code") == true })
  }

  @Test func mapsDrawTheirPointsWhereTheyAre() async throws {
    let panel = Panel(
      id: "m", title: "m", query: "signin | geo", chart: .map,
      points: "signin | stats count, avg(geo.lat), avg(geo.lon) by geo.city | sort -count | limit 5")
    let view = await PanelRunner.run(panel, window: TimeWindow(last: "7d"), now: Self.now, on: try await Self.store())
    guard case .geo(_, let points) = view.chart, let first = points.first else {
      Issue.record("no points: \(view.chart) \(view.problem ?? "")")
      return
    }
    #expect(points.count <= 5)
    #expect(points.allSatisfy { (-90...90).contains($0.latitude) && (-180...180).contains($0.longitude) })
    #expect(first.value >= (points.last?.value ?? 0))
    #expect(first.link?.contains("geo.city%3A%22") == true)
  }

  @Test func termsQuoteWhatTheyHold() {
    #expect(LinkBuilder.term(field: "user.email", value: .string("a\"b\\c")) == "user.email:\"a\\\"b\\\\c\"")
    #expect(LinkBuilder.term(field: "geo.city", value: nil) == "-geo.city:*")
    #expect(LinkBuilder.filterPart("signin \"a|b\" | top 10 user") == "signin \"a|b\"")
    #expect(URLQuery.decode("q=a+b%26c&x=%E2%9C%93") == ["q": "a b&c", "x": "✓"])
    #expect(URLQuery.encode([("q", "a b&c/✓")]) == "q=a%20b%26c%2F%E2%9C%93")
  }

  @Test func windowsReadThePickerAndFallBack() {
    let now = Self.now
    #expect(TimeWindow(parameters: ["last": "7d"]).range(now: now).from == now - 7 * 86_400_000_000_000)
    #expect(TimeWindow(parameters: ["last": "soon"]).resolved(now: now) == nil)
    #expect(TimeWindow(parameters: ["last": "soon"]).range(now: now).from == now - 86_400_000_000_000)
    let custom = TimeWindow(parameters: ["from": "2026-11-01", "to": "2026-11-02"])
    #expect(custom.parameters.map(\.0) == ["from", "to"])
    #expect(custom.resolved(now: now)?.to != nil)
  }
}
