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
