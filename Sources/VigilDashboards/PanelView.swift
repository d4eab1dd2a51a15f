import VigilBase
import VigilCharts
import VigilCore
import VigilQuery

/// A panel run over a time range: its chart data, the same numbers as a table, and where each row
/// drills down to.
package struct PanelView: Sendable {
  package var panel: Panel
  package var chart: ChartData
  package var columns: [String]
  /// Cells as text (not yet escaped), bounded in number.
  package var rows: [[String]]
  /// Where each row leads in Search (same order as `rows`), when a row stands for a filter.
  package var rowLinks: [String?]
  /// The panel's query in Search over the same range.
  package var searchLink: String
  /// Why the panel has no data: a query or store error, for the page to show.
  package var problem: String?

  package init(
    panel: Panel, chart: ChartData, columns: [String], rows: [[String]], rowLinks: [String?], searchLink: String,
    problem: String?
  ) {
    self.panel = panel
    self.chart = chart
    self.columns = columns
    self.rows = rows
    self.rowLinks = rowLinks
    self.searchLink = searchLink
    self.problem = problem
  }

  /// The most table rows a panel shows.
  package static let mostRows = 100
}

/// Runs panels against a store and turns their results into charts and tables.
package enum PanelRunner {
  package static func run(
    _ panel: Panel, window: TimeWindow, now: Int64, on backend: some SearchBackend
  ) async -> PanelView {
    let links = LinkBuilder(window: window)
    var view = PanelView(
      panel: panel, chart: .categories([]), columns: [], rows: [], rowLinks: [],
      searchLink: links.search(panel.query), problem: nil)
    do {
      let plan = try Search.plan(panel.query, range: window.range(now: now), now: now)
      let result = try await Search.run(plan, on: backend)
      fill(&view, plan: plan, result: result, links: links)
      if let points = panel.points, case .geo(let countries, _) = view.chart {
        let pointsPlan = try Search.plan(points, range: window.range(now: now), now: now)
        let located = try await Search.run(pointsPlan, on: backend)
        view.chart = .geo(countries: countries, points: mapPoints(located, query: points, links: links))
      }
    } catch {
      view.problem = error.description
    }
    return view
  }

  static func fill(_ view: inout PanelView, plan: SearchPlan, result: SearchResult, links: LinkBuilder) {
    let names = result.columns.map(\.name)
    view.columns = names
    let shown = result.rows.prefix(PanelView.mostRows)
    view.rows = shown.map { $0.map(CellText.text) }
    guard let aggregation = plan.aggregation else {
      view.rowLinks = Array(repeating: nil, count: view.rows.count)
      view.chart = .categories([])
      return
    }
    let filter = LinkBuilder.filterPart(view.panel.query)
    let groups = aggregation.groups
    let groupIndexes = groups.compactMap { names.firstIndex(of: $0) }
    let metric = aggregation.metrics.first?.description ?? "count"
    let valueIndex = names.firstIndex(of: metric)
    let previousIndex = names.firstIndex(of: SearchPlan.previousColumn(metric))
    func number(_ row: ResultRow, _ index: Int?) -> Double? {
      guard let index, index < row.count else { return nil }
      switch row[index] {
      case .integer(let value)?: return Double(value)
      case .double(let value)?: return value
      default: return nil
      }
    }
    func rowLink(_ row: ResultRow) -> String? {
      guard !groupIndexes.isEmpty else { return links.search(filter) }
      var terms: [String] = []
      for (field, index) in zip(groups, groupIndexes) {
        guard let term = LinkBuilder.term(field: field, value: row[index]) else { return nil }
        terms.append(term)
      }
      return links.search(([filter] + terms).filter { !$0.isEmpty }.joined(separator: " "))
    }
    view.rowLinks = shown.map(rowLink)

    if let span = aggregation.span, let timeIndex = names.firstIndex(of: SearchPlan.timeColumn) {
      view.chart = .series(
        timeSeries(
          result.rows, span: span, range: plan.range, timeIndex: timeIndex, groupIndex: groupIndexes.first,
          groupField: groups.first, value: { number($0, valueIndex) ?? 0 },
          previous: previousIndex == nil ? nil : { number($0, previousIndex) ?? 0 }, filter: filter, links: links))
      return
    }
    if aggregation.coordinates {
      let codeIndex = names.firstIndex(of: FieldCatalog.countryCode.name)
      let nameIndex = names.firstIndex(of: FieldCatalog.countryName.name)
      let latIndex = names.firstIndex(of: FieldCatalog.latitude.name)
      let lonIndex = names.firstIndex(of: FieldCatalog.longitude.name)
      let countries = result.rows.compactMap { row -> GeoPoint? in
        guard let codeIndex, case .string(let code)? = row[codeIndex] else { return nil }
        let name = nameIndex.flatMap { if case .string(let name)? = row[$0] { name } else { nil } } ?? code
        return GeoPoint(
          countryCode: code, name: name, value: number(row, valueIndex) ?? 0, latitude: number(row, latIndex),
          longitude: number(row, lonIndex), link: rowLink(row))
      }
      view.chart = .geo(countries: countries, points: [])
      return
    }
    view.chart = .categories(
      shown.map { row in
        ChartCategory(
          label: groupIndexes.map { CellText.text(row[$0]) }.joined(separator: " / "),
          value: number(row, valueIndex) ?? 0, previous: number(row, previousIndex), link: rowLink(row))
      })
  }

  /// Points from a result whose first column names each point, whose first metric sizes it, and whose
  /// columns on `geo.lat` and `geo.lon` place it; rows without a position are left out.
  static func mapPoints(_ result: SearchResult, query: String, links: LinkBuilder) -> [MapPoint] {
    let names = result.columns.map(\.name)
    guard let latitude = names.firstIndex(where: { $0.contains(FieldCatalog.latitude.name) }),
      let longitude = names.firstIndex(where: { $0.contains(FieldCatalog.longitude.name) }),
      let value = names.indices.first(where: { ![0, latitude, longitude].contains($0) })
    else { return [] }
    let filter = LinkBuilder.filterPart(query)
    return result.rows.compactMap { row -> MapPoint? in
      func number(_ index: Int) -> Double? {
        switch row[index] {
        case .integer(let number)?: Double(number)
        case .double(let number)?: number
        default: nil
        }
      }
      guard let lat = number(latitude), let lon = number(longitude), row[0] != nil else { return nil }
      let link = LinkBuilder.term(field: names[0], value: row[0]).map {
        links.search([filter, $0].filter { !$0.isEmpty }.joined(separator: " "))
      }
      return MapPoint(
        label: CellText.text(row[0]), value: number(value) ?? 0, latitude: lat, longitude: lon, link: link)
    }
  }

  /// Buckets from the start of the range to its end, zeros where no row fell, one line per group value
  /// (the eight largest; the rest summed as "other").
  static func timeSeries(
    _ rows: [ResultRow], span: Int64, range: TimeRange, timeIndex: Int, groupIndex: Int?, groupField: String?,
    value: (ResultRow) -> Double, previous: ((ResultRow) -> Double)?, filter: String, links: LinkBuilder
  ) -> TimeSeries {
    func bucket(_ row: ResultRow) -> Int64? {
      if case .time(let time)? = row[timeIndex] { return FieldValue.nanoseconds(time) }
      return nil
    }
    let times = rows.compactMap(bucket)
    guard span > 0, let first = range.from.map({ Rollup.floor($0, span) }) ?? times.min(),
      let end = range.to ?? times.max().map({ $0 + span })
    else { return TimeSeries(buckets: [], span: span, lines: []) }
    let count = Int(min(max((end - first + span - 1) / span, 1), 2_000))
    let buckets = (0..<count).map { first + Int64($0) * span }
    func slot(_ row: ResultRow) -> Int? {
      guard let time = bucket(row) else { return nil }
      let index = Int((time - first) / span)
      return buckets.indices.contains(index) ? index : nil
    }
    var totals: [String: Double] = [:]
    var keys: [String: FieldValue?] = [:]
    for row in rows {
      let name = groupIndex.map { CellText.text(row[$0]) } ?? "count"
      totals[name, default: 0] += value(row)
      if let groupIndex { keys[name] = row[groupIndex] }
    }
    let ranked = totals.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map(\.key)
    let kept = Array(ranked.prefix(8))
    let others = ranked.count > 8
    var lines = kept.map { name in
      TimeSeries.Line(
        name: name, values: Array(repeating: 0, count: count),
        link: lineLink(field: groupField, value: keys[name] ?? nil, filter: filter, links: links))
    }
    if others { lines.append(.init(name: "other", values: Array(repeating: 0, count: count))) }
    var previousValues = previous.map { _ in Array(repeating: 0.0, count: count) }
    for row in rows {
      guard let index = slot(row) else { continue }
      let name = groupIndex.map { CellText.text(row[$0]) } ?? "count"
      let line = kept.firstIndex(of: name) ?? (others ? lines.count - 1 : nil)
      if let line { lines[line].values[index] += value(row) }
      if let previous { previousValues?[index] += previous(row) }
    }
    return TimeSeries(buckets: buckets, span: span, lines: lines, previous: previousValues)
  }
}

/// Where a line of a time chart leads: its filter plus its group's value (none for an overlong value).
private func lineLink(field: String?, value: FieldValue?, filter: String, links: LinkBuilder) -> String? {
  guard let field else { return links.search(filter) }
  guard let term = LinkBuilder.term(field: field, value: value) else { return nil }
  return links.search([filter, term].filter { !$0.isEmpty }.joined(separator: " "))
}

/// A result value as text for tables and labels (not escaped: the page escapes).
package enum CellText {
  package static func text(_ value: FieldValue?) -> String {
    switch value {
    case nil: ""
    case .string(let text)?: text
    case .integer(let number)?: String(number)
    case .double(let number)?: String((number * 10_000).rounded() / 10_000)
    case .time(let time)?: time.rfc3339
    }
  }
}
