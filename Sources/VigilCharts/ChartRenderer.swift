import VigilBase

/// Draws a panel's data as inline SVG: pure, deterministic (the same data gives the same bytes, which the
/// golden tests hold), and inert whatever the data holds.
package enum ChartRenderer {
  /// The most bars, slices, series or map points one chart draws; the rest is summed as "other" where
  /// that is meaningful, and always listed in the table beside the chart.
  package static let mostItems = 50
  /// The width a chart is drawn at unless the page asks for another.
  package static let standardWidth = 600.0

  /// Charts are drawn on a box `width` units wide (240 high): about the pixels they get on the page, so
  /// that text stays legible whether the panel takes a third of the page or all of it.
  package static func svg(_ kind: ChartKind, _ data: ChartData, label: ChartLabel, width: Double = standardWidth)
    -> String
  {
    var canvas = SVGCanvas(label, width: min(max(width, 320), 1200))
    guard !data.isEmpty else {
      canvas.text(
        "No events in this range", x: canvas.width / 2, y: canvas.height / 2, className: "empty",
        anchor: .middle)
      return canvas.document(kind: kind)
    }
    switch (kind, data) {
    case (.line, .series(let series)), (.area, .series(let series)):
      LineChart.draw(series, filled: kind == .area, on: &canvas)
    case (.stackedBars, .series(let series)), (.bars, .series(let series)):
      ColumnChart.draw(series, stacked: kind == .stackedBars, on: &canvas)
    case (.donut, .categories(let categories)):
      DonutChart.draw(categories, on: &canvas)
    case (.single, .categories(let categories)):
      SingleValue.draw(categories, on: &canvas)
    case (.single, .series(let series)):
      SingleValue.draw(series, on: &canvas)
    case (.map, .geo(let countries, let points)):
      canvas = SVGCanvas(label, width: WorldMap.width, height: WorldMap.height)
      WorldMap.draw(countries, points: points, on: &canvas)
    case (_, .categories(let categories)):
      BarList.draw(categories, on: &canvas)
    case (_, .geo(let countries, _)):
      BarList.draw(
        countries.map { ChartCategory(label: $0.name, value: $0.value, link: $0.link) }, on: &canvas)
    case (_, .series(let series)):
      LineChart.draw(series, filled: false, on: &canvas)
    }
    return canvas.document(kind: kind)
  }
}

extension ChartData {
  /// Nothing to draw: no rows, or only zeros.
  package var isEmpty: Bool {
    switch self {
    case .categories(let categories): categories.isEmpty
    case .series(let series): series.buckets.isEmpty || series.lines.isEmpty
    case .geo(let countries, let points): countries.isEmpty && points.isEmpty
    }
  }
}

/// The colour class of the n-th series or slice (the stylesheet defines eight, light and dark).
func colour(_ index: Int) -> String { "c\(index % 8)" }

/// Labels for the x axis of a time chart: UTC, as precise as the bucket width needs (`11-02`, `11-02 06:00`).
enum TimeLabel {
  static func text(_ nanoseconds: Int64, span: Int64) -> String {
    let seconds = nanoseconds >= 0 ? nanoseconds / 1_000_000_000 : (nanoseconds - 999_999_999) / 1_000_000_000
    let text = Array(Timestamp(seconds: seconds).rfc3339)  // 2026-11-02T06:00:00Z
    guard text.count >= 16 else { return String(text) }
    let date = String(text[5..<10])
    return span >= 86_400_000_000_000 ? date : date + " " + String(text[11..<16])
  }
}

/// The plot area inside the axes, and the scale of the value axis.
struct PlotArea {
  var left = 48.0
  var top = 12.0
  var right: Double
  var bottom: Double
  var maximum: Double
  let canvasHeight: Double

  init(maximum: Double, legend: Bool, canvas: SVGCanvas) {
    self.maximum = PlotArea.niceCeiling(maximum)
    right = canvas.width - 12
    canvasHeight = canvas.height
    bottom = canvas.height - 40
    if legend { bottom -= 18 }
  }

  var width: Double { right - left }
  var height: Double { bottom - top }

  func y(_ value: Double) -> Double { bottom - (maximum > 0 ? value / maximum : 0) * height }

  /// 1, 2 or 5 times a power of ten at or above `value`, so that gridlines fall on round numbers.
  static func niceCeiling(_ value: Double) -> Double {
    guard value > 0, value.isFinite else { return 1 }
    var step = 1.0
    while step * 10 <= value { step *= 10 }
    for factor in [1.0, 2.0, 5.0, 10.0] where step * factor >= value { return step * factor }
    return step * 10
  }

  /// The value axis: four gridlines with short labels.
  func drawGrid(on canvas: inout SVGCanvas) {
    for step in 0...4 {
      let value = maximum * Double(step) / 4
      let y = self.y(value)
      canvas.line(x1: left, y1: y, x2: right, y2: y, className: step == 0 ? "axis" : "grid")
      canvas.text(Markup.short(value), x: left - 6, y: y + 4, className: "tick", anchor: .end)
    }
  }

  /// Time labels under the plot: at most six, evenly spaced over the buckets.
  func drawTimeAxis(_ buckets: [Int64], span: Int64, x: (Int) -> Double, on canvas: inout SVGCanvas) {
    guard !buckets.isEmpty else { return }
    let labels = max(2.0, (width / 110).rounded(.down))
    let every = max(1, Int((Double(buckets.count) / labels).rounded(.up)))
    for index in stride(from: 0, to: buckets.count, by: every) {
      canvas.text(
        TimeLabel.text(buckets[index], span: span), x: x(index), y: bottom + 16, className: "tick", anchor: .middle)
    }
  }

  /// The series names under the axis, each with its colour.
  func drawLegend(_ names: [String], previous: Bool, on canvas: inout SVGCanvas) {
    var x = left
    let y = canvasHeight - 10
    var entries = names.prefix(8).enumerated().map { (colour($0.offset), $0.element) }
    if previous { entries.append(("prev", "previous period")) }
    for (className, name) in entries {
      canvas.rect(x: x, y: y - 9, width: 10, height: 10, className: className)
      canvas.text(name, x: x + 14, y: y, className: "legend", limit: 18)
      x += 14 + Double(min(name.count, 18)) * 6.5 + 14
      if x > right - 60 { break }
    }
  }
}
