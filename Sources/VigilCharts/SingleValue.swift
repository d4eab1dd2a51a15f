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
