/// Horizontal bars with their labels and values: toplists, breakdowns by category, country, user.
enum BarList {
  static let rowHeight = 22.0

  static func draw(_ categories: [ChartCategory], on canvas: inout SVGCanvas) {
    let rows = Array(categories.prefix(10))
    let highest = rows.map { max($0.value, $0.previous ?? 0) }.max() ?? 0
    let valueWidth = 70.0
    let labelWidth = min(200.0, canvas.width * 0.33)
    let barSpace = canvas.width - labelWidth - valueWidth - 8
    for (index, row) in rows.enumerated() {
      let y = 8 + Double(index) * rowHeight
      let tip =
        row.label + ": " + Markup.count(row.value)
        + (row.previous.map { " (previous period: " + Markup.count($0) + ")" } ?? "")
      let opened = canvas.openLink(row.link)
      canvas.text(
        row.label.isEmpty ? "(none)" : row.label, x: 4, y: y + 15, className: "label", limit: Int(labelWidth / 7))
      let width = highest > 0 ? barSpace * row.value / highest : 0
      canvas.rect(x: labelWidth, y: y + 3, width: max(width, 1), height: rowHeight - 6, className: colour(0), tip: tip)
      canvas.closeLink(opened)
      if let previous = row.previous, highest > 0 {
        let x = labelWidth + barSpace * previous / highest
        canvas.line(x1: x, y1: y + 1, x2: x, y2: y + rowHeight - 1, className: "prev")
      }
      canvas.text(Markup.count(row.value), x: canvas.width - 4, y: y + 15, className: "value", anchor: .end)
    }
  }
}

/// Slices of a whole, with the total in the middle; slices past the eighth are summed as "other".
enum DonutChart {
  static func draw(_ categories: [ChartCategory], on canvas: inout SVGCanvas) {
    var slices = Array(categories.filter { $0.value > 0 }.prefix(7))
    let rest = categories.filter { $0.value > 0 }.dropFirst(7).reduce(0) { $0 + $1.value }
    if rest > 0 { slices.append(ChartCategory(label: "other", value: rest)) }
    let total = slices.reduce(0) { $0 + $1.value }
    let (cx, cy, outer, inner) = (120.0, 120.0, 100.0, 60.0)
    var start = 0.0
    for (index, slice) in slices.enumerated() {
      let fraction = total > 0 ? slice.value / total : 0
      let end = start + fraction
      let tip = slice.label + ": " + Markup.count(slice.value) + " (" + Markup.number(fraction * 100) + "%)"
      let opened = canvas.openLink(slice.link)
      if fraction >= 0.9999 {
        canvas.circle(x: cx, y: cy, radius: (outer + inner) / 2, className: "ring " + colour(index), tip: tip)
      } else {
        canvas.path(
          arc(cx: cx, cy: cy, outer: outer, inner: inner, from: start, to: end), className: colour(index), tip: tip)
      }
      canvas.closeLink(opened)
      let y = 24 + Double(index) * 24
      canvas.rect(x: 250, y: y - 11, width: 12, height: 12, className: colour(index))
      canvas.text(
        slice.label.isEmpty ? "(none)" : slice.label, x: 268, y: y, className: "legend",
        limit: max(8, Int((canvas.width - 268 - 60) / 7)))
      canvas.text(Markup.count(slice.value), x: canvas.width - 4, y: y, className: "value", anchor: .end)
      start = end
    }
    canvas.text(Markup.short(total), x: cx, y: cy + 6, className: "total", anchor: .middle)
  }

  /// One ring segment between two fractions of the circle, clockwise from twelve o'clock.
  static func arc(cx: Double, cy: Double, outer: Double, inner: Double, from: Double, to: Double) -> String {
    func point(_ fraction: Double, _ radius: Double) -> String {
      let angle = fraction * 2 * Double.pi - Double.pi / 2
      return Markup.number(cx + radius * Trig.cos(angle)) + "," + Markup.number(cy + radius * Trig.sin(angle))
    }
    let large = to - from > 0.5 ? 1 : 0
    return "M" + point(from, outer) + "A" + Markup.number(outer) + "," + Markup.number(outer) + " 0 \(large) 1 "
      + point(to, outer) + "L" + point(to, inner) + "A" + Markup.number(inner) + "," + Markup.number(inner)
      + " 0 \(large) 0 " + point(from, inner) + "Z"
  }
}

/// One big number, with the change against the comparison period when there is one.
enum SingleValue {
  static func draw(_ categories: [ChartCategory], on canvas: inout SVGCanvas) {
    let value = categories.reduce(0) { $0 + $1.value }
    let previous = categories.allSatisfy { $0.previous != nil } ? categories.reduce(0) { $0 + ($1.previous ?? 0) } : nil
    let opened = canvas.openLink(categories.count == 1 ? categories[0].link : nil)
    canvas.text(Markup.count(value), x: canvas.width / 2, y: 130, className: "big", anchor: .middle)
    canvas.closeLink(opened)
    if let previous {
      let change = value - previous
      let sign = change > 0 ? "+" : ""
      canvas.text(
        sign + Markup.count(change) + " against the previous period (" + Markup.count(previous) + ")",
        x: canvas.width / 2, y: 170, className: change > 0 ? "up" : "down", anchor: .middle, limit: 80)
    }
  }

  static func draw(_ series: TimeSeries, on canvas: inout SVGCanvas) {
    let total = series.lines.reduce(0) { $0 + $1.values.reduce(0, +) }
    draw([ChartCategory(label: "total", value: total, previous: series.previous.map { $0.reduce(0, +) })], on: &canvas)
  }
}
