import VigilCharts
import VigilDashboards

/// One panel on a page: heading, chart (or table), the numbers as a table for readers that cannot see
/// the chart, and a link to the same query in Search.
enum PanelMarkup {
  static func render(_ view: PanelView, index: Int) -> String {
    let id = "p\(index)-" + view.panel.id
    var html = HTML()
    html.open("section", [("class", "panel w\(view.panel.width)"), ("id", id), ("aria-labelledby", id + "-h")])
    html.element("h2", [("id", id + "-h")], text: view.panel.title)
    if let problem = view.problem {
      html.element("p", [("class", "problem")], text: problem, limit: 500)
    } else if view.panel.chart == .table || (view.chart.isEmpty && !view.rows.isEmpty) {
      html.raw(table(view, caption: nil))
    } else {
      let description =
        (view.panel.description.isEmpty ? "" : view.panel.description + " ") + "Query: " + view.panel.query
      html.raw(
        ChartRenderer.svg(
          view.panel.chart, view.chart,
          label: ChartLabel(id: id + "-c", title: view.panel.title, description: description),
          width: [400, 820, 1200][min(max(view.panel.width, 1), 3) - 1]))
      if !view.rows.isEmpty {
        html.raw("<details><summary>Table</summary>")
        html.raw(table(view, caption: view.panel.title))
        html.raw("</details>")
      }
    }
    html.raw("<p class=\"more\">")
    html.link(view.searchLink, text: "Search these events")
    html.raw("</p></section>")
    return html.markup
  }

  /// The rows as an HTML table; the first cell of a row that stands for a filter links to it.
  static func table(_ view: PanelView, caption: String?) -> String {
    var html = HTML()
    guard !view.rows.isEmpty else {
      html.element("p", [("class", "empty")], text: "No events in this range")
      return html.markup
    }
    html.raw("<div class=\"scroll\"><table>")
    if let caption { html.element("caption", text: caption) }
    html.raw("<thead><tr>")
    for column in view.columns { html.element("th", [("scope", "col")], text: column) }
    html.raw("</tr></thead><tbody>")
    for (index, row) in view.rows.enumerated() {
      html.raw("<tr>")
      for (cell, value) in row.enumerated() {
        html.open("td")
        if cell == 0, let link = view.rowLinks[safe: index] ?? nil {
          html.link(link, text: value.isEmpty ? "(none)" : value)
        } else {
          html.text(value)
        }
        html.close("td")
      }
      html.raw("</tr>")
    }
    html.raw("</tbody></table></div>")
    return html.markup
  }
}

extension Array {
  subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
