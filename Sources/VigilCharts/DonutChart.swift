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
