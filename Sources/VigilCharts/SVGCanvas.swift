/// Builds one SVG document: the frame with its title and description, then shapes. Every text and
/// attribute value goes through ``Markup``; coordinates through ``Markup/number(_:)``.
struct SVGCanvas {
  static let width = ChartRenderer.standardWidth
  static let height = 240.0

  private(set) var body = ""
  let label: ChartLabel
  let width: Double
  let height: Double

  init(_ label: ChartLabel, width: Double = SVGCanvas.width, height: Double = SVGCanvas.height) {
    self.label = label
    self.width = width
    self.height = height
  }

  /// The finished document. `role="img"` with `aria-labelledby` names it; the page puts a table with the
  /// same numbers beside it for readers that cannot see the chart.
  func document(kind: ChartKind) -> String {
    let id = label.id
    return
      "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart chart-\(kind.rawValue)\" viewBox=\"0 0 \(Markup.number(width)) \(Markup.number(height))\" role=\"img\" aria-labelledby=\"\(id)-title \(id)-desc\">"
      + "<title id=\"\(id)-title\">\(Markup.value(label.title))</title>"
      + "<desc id=\"\(id)-desc\">\(Markup.value(label.description, limit: 1000))</desc>"
      + body + "</svg>"
  }

  mutating func raw(_ markup: String) { body += markup }

  /// Opens a link around the next shapes when there is one; returns whether it did.
  mutating func openLink(_ link: String?) -> Bool {
    guard let link else { return false }
    body += "<a href=\"\(Markup.escape(link))\">"
    return true
  }

  mutating func closeLink(_ opened: Bool) { if opened { body += "</a>" } }

  mutating func rect(x: Double, y: Double, width: Double, height: Double, className: String, tip: String? = nil) {
    body +=
      "<rect class=\"\(className)\" x=\"\(Markup.number(x))\" y=\"\(Markup.number(y))\" width=\"\(Markup.number(max(width, 0)))\" height=\"\(Markup.number(max(height, 0)))\""
    closeShape(tip, element: "rect")
  }

  mutating func circle(x: Double, y: Double, radius: Double, className: String, tip: String? = nil) {
    body +=
      "<circle class=\"\(className)\" cx=\"\(Markup.number(x))\" cy=\"\(Markup.number(y))\" r=\"\(Markup.number(radius))\""
    closeShape(tip, element: "circle")
  }

  mutating func path(_ data: String, className: String, tip: String? = nil) {
    body += "<path class=\"\(className)\" d=\"\(data)\""
    closeShape(tip, element: "path")
  }

  mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, className: String) {
    body +=
      "<line class=\"\(className)\" x1=\"\(Markup.number(x1))\" y1=\"\(Markup.number(y1))\" x2=\"\(Markup.number(x2))\" y2=\"\(Markup.number(y2))\"/>"
  }

  enum Anchor: String { case start, middle, end }

  /// Text from any source: cut to `limit` characters and escaped.
  mutating func text(
    _ text: String, x: Double, y: Double, className: String, anchor: Anchor = .start, limit: Int = 40
  ) {
    body +=
      "<text class=\"\(className)\" x=\"\(Markup.number(x))\" y=\"\(Markup.number(y))\" text-anchor=\"\(anchor.rawValue)\">\(Markup.value(text, limit: limit))</text>"
  }

  /// A shape's tooltip is its `<title>` child: the label and value, shown on hover and read aloud.
  private mutating func closeShape(_ tip: String?, element: String) {
    if let tip {
      body += "><title>\(Markup.value(tip, limit: 300))</title></\(element)>"
    } else {
      body += "/>"
    }
  }
}
