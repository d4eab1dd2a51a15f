/// Lines (or stacked areas) over time, with the comparison period as a dashed line.
enum LineChart {
  static func draw(_ series: TimeSeries, filled: Bool, on canvas: inout SVGCanvas) {
    let lines = Array(series.lines.prefix(ChartRenderer.mostItems))
    let count = series.buckets.count
    // Areas stack: each line's top is the running total; lines do not.
    var tops = lines.map { $0.values }
    if filled {
      for index in tops.indices.dropFirst() {
        for bucket in 0..<min(tops[index].count, tops[index - 1].count) {
          tops[index][bucket] += tops[index - 1][bucket]
        }
      }
    }
    let highest = max(tops.flatMap { $0 }.max() ?? 0, series.previous?.max() ?? 0)
    let legend = lines.count > 1 || series.previous != nil
    let plot = PlotArea(maximum: highest, legend: legend, canvas: canvas)
    plot.drawGrid(on: &canvas)
    let x: (Int) -> Double = { index in
      count <= 1 ? plot.left + plot.width / 2 : plot.left + plot.width * Double(index) / Double(count - 1)
    }
    plot.drawTimeAxis(series.buckets, span: series.span, x: x, on: &canvas)
    for (index, line) in lines.enumerated().reversed() {
      let top = tops[index]
      var data = ""
      for bucket in 0..<count {
        data += (bucket == 0 ? "M" : "L") + Markup.number(x(bucket)) + "," + Markup.number(plot.y(top[safe: bucket]))
      }
      if filled {
        let base = index == 0 ? Array(repeating: 0.0, count: count) : tops[index - 1]
        for bucket in (0..<count).reversed() {
          data += "L" + Markup.number(x(bucket)) + "," + Markup.number(plot.y(base[safe: bucket]))
        }
        data += "Z"
      }
      let opened = canvas.openLink(line.link)
      canvas.path(
        data, className: (filled ? "area " : "line ") + colour(index),
        tip: line.name + ": " + Markup.count(line.values.reduce(0, +)))
      canvas.closeLink(opened)
    }
    if let previous = series.previous {
      var data = ""
      for bucket in 0..<count {
        data +=
          (bucket == 0 ? "M" : "L") + Markup.number(x(bucket)) + "," + Markup.number(plot.y(previous[safe: bucket]))
      }
      canvas.path(data, className: "line prev", tip: "previous period: " + Markup.count(previous.reduce(0, +)))
    }
    if legend { plot.drawLegend(lines.map(\.name), previous: series.previous != nil, on: &canvas) }
  }
}

extension Array where Element == Double {
  /// The value at `index`, or 0 past the end (series of uneven length draw as zeros).
  subscript(safe index: Int) -> Double { indices.contains(index) ? self[index] : 0 }
}
