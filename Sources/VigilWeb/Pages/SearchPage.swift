import Hummingbird
import Synchronization
import VigilCharts
import VigilCore
import VigilDashboards
import VigilQuery

extension WebApp {
  static let pageSize = 50

  /// `/search?q=…&last=…&page=N`: the query box, a chart of the result, the rows with paging, an export
  /// link. A listing is charted as events over time; an aggregation as the chart that suits it.
  func addSearch(to router: Router<WebContext>) {
    router.get("/search") { request, context in
      let parameters = Self.parameters(request)
      let query = String((parameters["q"] ?? "").prefix(10_000))
      let window = TimeWindow(parameters: parameters)
      let pageNumber = max(1, min(Int(parameters["page"] ?? "1") ?? 1, 10_000))
      var html = HTML()
      html.element("h1", text: "Search")
      html.raw("<form class=\"search\" method=\"get\" action=\"/search\" role=\"search\">")
      html.raw("<label for=\"q\">Query</label>")
      html.open(
        "input",
        [
          ("id", "q"), ("name", "q"), ("value", query), ("placeholder", "signin outcome:failure | top 10 user"),
          ("size", "60"),
        ])
      html.raw("<button type=\"submit\">Search</button></form>")
      html.raw(Layout.picker(window, action: "/search", keep: [("q", query)]))
      html.raw(await searchResults(query: query, window: window, page: pageNumber))
      return page("Search", current: "search", context: context, content: html.markup)
    }
  }

  func searchResults(query: String, window: TimeWindow, page: Int) async -> String {
    var html = HTML()
    let now = self.now
    let plan: SearchPlan
    do {
      plan = try Search.plan(query, range: window.range(now: now), now: now)
    } catch {
      html.element("pre", [("class", "problem"), ("role", "alert")], text: error.description, limit: 11_000)
      return html.markup
    }
    for hint in plan.hints { html.element("p", [("class", "hint")], text: hint, limit: 500) }
    let links = LinkBuilder(window: window)
    let exportLink = "/api/search?" + URLQuery.encode([("q", query), ("format", "csv")] + window.parameters)
    if plan.aggregation != nil {
      let kind = Self.chartKind(for: plan)
      let panel = Panel(id: "result", title: "Result", query: query, chart: kind, width: 3)
      var view = await PanelRunner.run(panel, window: window, now: now, on: store)
      view.searchLink = links.search(query)
      html.raw(PanelMarkup.render(view, index: 0))
      html.raw("<p class=\"more\">")
      html.link(exportLink, text: "Export as CSV")
      html.raw("</p>")
      return html.markup
    }
    let filter = LinkBuilder.filterPart(query)
    let overTime = Panel(
      id: "over-time", title: "Matching events over time", query: filter + " | timechart count", chart: .bars, width: 3)
    html.raw(PanelMarkup.render(await PanelRunner.run(overTime, window: window, now: now, on: store), index: 0))
    let skip = (page - 1) * Self.pageSize
    let collector = RowBuffer(skip: skip, keep: Self.pageSize + 1)
    do {
      try await store.list(plan) { row in collector.add(row) }
    } catch {
      html.element("p", [("class", "problem")], text: error.description, limit: 500)
      return html.markup
    }
    let rows = collector.rows
    let columns = plan.resultColumns.map(\.name)
    var view = PanelView(
      panel: Panel(id: "events", title: "Events", query: query, chart: .table, width: 3), chart: .categories([]),
      columns: columns, rows: rows.prefix(Self.pageSize).map { $0.map(CellText.text) },
      rowLinks: [], searchLink: links.search(query), problem: nil)
    view.rowLinks = Array(repeating: nil, count: view.rows.count)
    html.element("h2", text: "Events \(skip + 1)–\(skip + view.rows.count)")
    html.raw(PanelMarkup.table(view, caption: nil))
    html.raw("<nav class=\"pages\" aria-label=\"Result pages\">")
    if page > 1 {
      html.link(
        "/search?" + URLQuery.encode([("q", query), ("page", String(page - 1))] + window.parameters), text: "← Newer")
    }
    if rows.count > Self.pageSize {
      html.link(
        "/search?" + URLQuery.encode([("q", query), ("page", String(page + 1))] + window.parameters), text: "Older →")
    }
    html.link(exportLink, text: "Export as CSV")
    html.raw("</nav>")
    return html.markup
  }

  /// How Search draws an aggregation: time as bars, `geo` as the map, anything else as a toplist.
  static func chartKind(for plan: SearchPlan) -> ChartKind {
    guard let aggregation = plan.aggregation else { return .table }
    if aggregation.span != nil { return aggregation.groups.isEmpty ? .bars : .stackedBars }
    if aggregation.coordinates { return .map }
    if aggregation.groups.isEmpty { return .single }
    return aggregation.groups.count > 1 || aggregation.metrics.count > 1 ? .table : .toplist
  }
}

/// Rows of one page of a streamed listing: skips, keeps, then stops the store's read.
final class RowBuffer: Sendable {
  private let state: Mutex<(skip: Int, rows: [ResultRow])>
  private let keep: Int

  init(skip: Int, keep: Int) {
    state = Mutex((skip, []))
    self.keep = keep
  }

  func add(_ row: ResultRow) -> Bool {
    state.withLock { state in
      if state.skip > 0 {
        state.skip -= 1
        return true
      }
      state.rows.append(row)
      return state.rows.count < keep
    }
  }

  var rows: [ResultRow] { state.withLock { $0.rows } }
}
