import Synchronization
import Testing
import VigilCharts
import VigilDashboards

/// A panel's result is reused within its lifetime and for the same window only; concurrent requests
/// compute it once; problems and expired entries are computed again; the cache stays bounded.
@Suite struct PanelCacheTests {
  static let panel = Panel(id: "p", title: "p", query: "signin | count", chart: .single)

  /// A computation that counts its runs and labels its view with the run number.
  final class Counter: Sendable {
    let runs = Mutex(0)
    let problem: Bool

    init(problem: Bool = false) { self.problem = problem }

    func compute(_ panel: Panel = PanelCacheTests.panel) -> @Sendable () async -> PanelView {
      { [self] in
        let run = runs.withLock { count in
          count += 1
          return count
        }
        return PanelView(
          panel: panel, chart: .categories([]), columns: ["run"], rows: [[String(run)]], rowLinks: [nil],
          searchLink: "/search", problem: problem ? "store unavailable" : nil)
      }
    }

    var count: Int { runs.withLock { $0 } }
  }

  @Test func aResultIsFreshForItsLifetimeThenServedWhileItRefreshes() async throws {
    let cache = PanelCache(lifetime: 60, staleLimit: 5)
    let counter = Counter()
    let window = TimeWindow(last: "30d")
    let first = await cache.view(Self.panel, window: window, now: 1000, compute: counter.compute())
    let again = await cache.view(Self.panel, window: window, now: 1059, compute: counter.compute())
    // A request that read the clock just before the entry was made still uses it.
    let racing = await cache.view(Self.panel, window: window, now: 999.5, compute: counter.compute())
    #expect(racing.rows == [["1"]])
    #expect(first.rows == [["1"]])
    #expect(again.rows == [["1"]])
    #expect(counter.count == 1)
    // Stale: the previous result at once, and one refresh behind it however many ask (each later
    // request gets the previous result or, once the refresh is done, the new one).
    let stale = await cache.view(Self.panel, window: window, now: 1060, compute: counter.compute())
    #expect(stale.rows == [["1"]])
    for _ in 0..<5 {
      let next = await cache.view(Self.panel, window: window, now: 1060, compute: counter.compute())
      #expect(next.rows == [["1"]] || next.rows == [["2"]])
      #expect(counter.count <= 2)
    }
    var refreshed = PanelView(
      panel: Self.panel, chart: .categories([]), columns: [], rows: [], rowLinks: [], searchLink: "", problem: nil)
    for _ in 0..<2000 where refreshed.rows != [["2"]] {
      try await Task.sleep(for: .milliseconds(1))
      refreshed = await cache.view(Self.panel, window: window, now: 1061, compute: counter.compute())
    }
    #expect(refreshed.rows == [["2"]])
    #expect(counter.count == 2)
    // Unvisited for longer than five lifetimes: computed again before answering.
    let late = await cache.view(Self.panel, window: window, now: 1060 + 300, compute: counter.compute())
    #expect(late.rows == [["3"]])
    // A clock that went back does not serve an entry from "the future".
    let earlier = await cache.view(Self.panel, window: window, now: 900, compute: counter.compute())
    #expect(earlier.rows == [["4"]])
    #expect(await cache.staleHits >= 1)
    #expect(await cache.misses == 3)
  }

  @Test func windowsAndPanelsAreKeptApart() async {
    let cache = PanelCache(lifetime: 60)
    let counter = Counter()
    _ = await cache.view(Self.panel, window: TimeWindow(last: "30d"), now: 0, compute: counter.compute())
    _ = await cache.view(Self.panel, window: TimeWindow(last: "7d"), now: 0, compute: counter.compute())
    _ = await cache.view(Self.panel, window: TimeWindow(from: "-2d", to: "-1d"), now: 0, compute: counter.compute())
    var renamed = Self.panel
    renamed.title = "other"
    let other = await cache.view(renamed, window: TimeWindow(last: "30d"), now: 0, compute: counter.compute(renamed))
    #expect(other.panel.title == "other")
    #expect(counter.count == 4)
    #expect(await cache.count == 4)
  }

  @Test func concurrentRequestsComputeOnce() async {
    let cache = PanelCache(lifetime: 60)
    let counter = Counter()
    let views = await withTaskGroup(of: PanelView.self) { group in
      for _ in 0..<16 {
        group.addTask { await cache.view(Self.panel, window: .standard, now: 5, compute: counter.compute()) }
      }
      return await group.reduce(into: []) { $0.append($1) }
    }
    #expect(views.count == 16)
    #expect(views.allSatisfy { $0.rows == [["1"]] })
    #expect(counter.count == 1)
  }

  @Test func problemsAreNotKept() async {
    let cache = PanelCache(lifetime: 60)
    let counter = Counter(problem: true)
    let first = await cache.view(Self.panel, window: .standard, now: 0, compute: counter.compute())
    #expect(first.problem == "store unavailable")
    _ = await cache.view(Self.panel, window: .standard, now: 1, compute: counter.compute())
    #expect(counter.count == 2)
    #expect(await cache.count == 0)
  }

  @Test func offMeansEveryRequestComputes() async {
    let cache = PanelCache(lifetime: 0)
    let counter = Counter()
    for _ in 0..<3 { _ = await cache.view(Self.panel, window: .standard, now: 0, compute: counter.compute()) }
    #expect(counter.count == 3)
  }

  @Test func theOldestEntriesLeaveWhenFull() async {
    let cache = PanelCache(lifetime: 600, capacity: 4)
    let counter = Counter()
    for second in 0..<10 {
      let window = TimeWindow(last: "\(second + 1)d")
      _ = await cache.view(Self.panel, window: window, now: Double(second), compute: counter.compute())
    }
    #expect(await cache.count == 4)
    // The newest is still there, the first is gone.
    _ = await cache.view(Self.panel, window: TimeWindow(last: "10d"), now: 10, compute: counter.compute())
    #expect(counter.count == 10)
    _ = await cache.view(Self.panel, window: TimeWindow(last: "1d"), now: 10, compute: counter.compute())
    #expect(counter.count == 11)
  }
}
