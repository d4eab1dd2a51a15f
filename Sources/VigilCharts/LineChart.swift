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

/// Columns over time, side by side per bucket or stacked.
enum ColumnChart {
  static func draw(_ series: TimeSeries, stacked: Bool, on canvas: inout SVGCanvas) {
    let lines = Array(series.lines.prefix(8))
    let count = series.buckets.count
    let totals = (0..<count).map { bucket in lines.reduce(0) { $0 + $1.values[safe: bucket] } }
    let highest = stacked ? (totals.max() ?? 0) : (lines.flatMap(\.values).max() ?? 0)
    let legend = lines.count > 1
    let plot = PlotArea(maximum: highest, legend: legend, canvas: canvas)
    plot.drawGrid(on: &canvas)
    let slot = plot.width / Double(max(count, 1))
    let x: (Int) -> Double = { plot.left + slot * (Double($0) + 0.5) }
    plot.drawTimeAxis(series.buckets, span: series.span, x: x, on: &canvas)
    let barWidth = max(slot * 0.8, 0.5)
    for bucket in 0..<count {
      var base = 0.0
      for (index, line) in lines.enumerated() {
        let value = line.values[safe: bucket]
        guard value > 0 else { continue }
        let tip =
          line.name + " at " + TimeLabel.text(series.buckets[bucket], span: series.span) + ": "
          + Markup.count(value)
        let opened = canvas.openLink(line.link)
        if stacked {
          canvas.rect(
            x: x(bucket) - barWidth / 2, y: plot.y(base + value), width: barWidth,
            height: plot.y(base) - plot.y(base + value), className: colour(index), tip: tip)
          base += value
        } else {
          let width = barWidth / Double(lines.count)
          canvas.rect(
            x: x(bucket) - barWidth / 2 + width * Double(index), y: plot.y(value), width: width,
            height: plot.bottom - plot.y(value), className: colour(index), tip: tip)
        }
        canvas.closeLink(opened)
      }
    }
    if legend { plot.drawLegend(lines.map(\.name), previous: false, on: &canvas) }
  }
}

extension Array where Element == Double {
  /// The value at `index`, or 0 past the end (series of uneven length draw as zeros).
  subscript(safe index: Int) -> Double { indices.contains(index) ? self[index] : 0 }
}
