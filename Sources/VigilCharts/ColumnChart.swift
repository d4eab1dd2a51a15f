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
