import VigilCharts

/// A page of panels, read from YAML: the built-in set shipped with Vigil, plus the user's own folder
/// (`web.dashboards` in `vigil.yaml`). See `docs/web.md` for the format.
package struct Dashboard: Hashable, Sendable {
  /// The URL segment (`/d/ID`): lower-case letters, digits and `-`.
  package var id: String
  package var title: String
  package var description: String
  package var panels: [Panel]
  /// Where it came from (a built-in name or a file path), for messages.
  package var source: String

  package init(id: String, title: String, description: String, panels: [Panel], source: String) {
    self.id = id
    self.title = title
    self.description = description
    self.panels = panels
    self.source = source
  }
}

/// One query in the one language, drawn as one chart kind.
package struct Panel: Hashable, Sendable {
  package var id: String
  package var title: String
  package var description: String
  package var query: String
  package var chart: ChartKind
  /// Thirds of the page width: 1, 2 or 3.
  package var width: Int
  /// The peer panels (from other integrations' dashboards) this panel answers, as `Vendor: Dashboard: Panel`.
  package var answers: [String]
  /// Maps: a second query whose groups are drawn as points (`| geo by geo.city`, or a `stats` with
  /// `avg(geo.lat), avg(geo.lon)`): the first group names the point, the first metric sizes it.
  package var points: String?

  package init(
    id: String, title: String, description: String = "", query: String, chart: ChartKind, width: Int = 1,
    answers: [String] = [], points: String? = nil
  ) {
    self.points = points
    self.id = id
    self.title = title
    self.description = description
    self.query = query
    self.chart = chart
    self.width = width
    self.answers = answers
  }
}
