import Hummingbird
import VigilCharts
import VigilDashboards

extension WebApp {
  /// `/` opens the first dashboard; `/d/ID?last=…` shows one with its time-range picker.
  func addDashboards(to router: Router<WebContext>) {
    router.get("/") { _, _ in WebResponse.redirect(to: "/d/" + (library.dashboards.first?.id ?? "overview")) }
    router.get("/d/:id") { request, context in
      guard let id = context.parameters.get("id"), let dashboard = library.dashboard(id) else {
        throw HTTPError(.notFound, message: "There is no such dashboard.")
      }
      let window = TimeWindow(parameters: Self.parameters(request))
      let views = await run(dashboard, window: window)
      var html = HTML()
      html.element("h1", text: dashboard.title)
      if !dashboard.description.isEmpty {
        html.element("p", [("class", "lead")], text: dashboard.description, limit: 500)
      }
      html.raw(Layout.picker(window, action: "/d/" + dashboard.id))
      if window.resolved(now: now) == nil {
        html.element("p", [("class", "problem")], text: "That time range cannot be read; showing the last 24 hours.")
      }
      html.raw("<div class=\"grid\">")
      for (index, view) in views.enumerated() { html.raw(PanelMarkup.render(view, index: index)) }
      html.raw("</div>")
      return page(dashboard.title, current: "d/" + dashboard.id, context: context, content: html.markup)
    }
  }

  /// Every panel of a dashboard over one window, two at a time, in the dashboard's order; a panel
  /// computed for the same window within `web.panel_cache` is reused.
  func run(_ dashboard: Dashboard, window: TimeWindow) async -> [PanelView] {
    let now = self.now
    let seconds = Double(now) / 1_000_000_000
    let store = self.store
    let cache = panelCache
    return await withTaskGroup(of: (Int, PanelView).self) { group in
      var results: [PanelView?] = Array(repeating: nil, count: dashboard.panels.count)
      var next = 0
      func start(_ index: Int) {
        let panel = dashboard.panels[index]
        group.addTask {
          let view = await cache.view(panel, window: window, now: seconds) {
            await PanelRunner.run(panel, window: window, now: now, on: store)
          }
          return (index, view)
        }
      }
      while next < min(2, dashboard.panels.count) {
        start(next)
        next += 1
      }
      for await (index, view) in group {
        results[index] = view
        if next < dashboard.panels.count {
          start(next)
          next += 1
        }
      }
      return results.compactMap { $0 }
    }
  }
}
