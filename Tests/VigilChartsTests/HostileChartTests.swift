import PropertyBased
import Testing
import VigilBase
import VigilCharts

/// Event fields reach chart labels, tooltips and links. Whatever they hold, the SVG stays well-formed,
/// holds only the elements and attributes the renderer writes, and shows the text as text.
@Suite struct HostileChartTests {
  static let hostile = [
    "<script>alert(1)</script>", "\"><svg onload=alert(1)>", "javascript:alert(1)", "'; --", "&amp;&lt;",
    "\u{202E}evil\u{202C}", "bell\u{07}nul\u{0}", "]]><!--", String(repeating: "A", count: 10_000),
    "<a href=\"javascript:alert(1)\">x</a>", "{{7*7}}", "\u{FEFF}zero\u{200B}width",
  ]

  static let elements: Set<String> = ["svg", "title", "desc", "g", "a", "rect", "circle", "path", "line", "text"]
  static let attributes: Set<String> = [
    "xmlns", "class", "viewBox", "role", "aria-labelledby", "id", "x", "y", "width", "height", "cx", "cy", "r", "d",
    "x1", "y1", "x2", "y2", "text-anchor", "transform", "href",
  ]

  static func check(_ svg: String) throws {
    let shape = try SVGShape(svg)
    for element in shape.elements { #expect(Self.elements.contains(element), "unexpected element \(element)") }
    for attribute in shape.attributes {
      #expect(Self.attributes.contains(attribute.name), "unexpected attribute \(attribute.name)")
    }
    #expect(!svg.contains("<script"))
    #expect(!svg.contains("\u{202E}"))
    #expect(!svg.contains("\u{0}"))
    #expect(svg.utf8.count < 200_000)
  }

  @Test(arguments: hostile)
  func hostileLabelsStayText(_ text: String) throws {
    let link = "/search?q=" + text
    let categories = [
      ChartCategory(label: text, value: 3, previous: 1, link: link), ChartCategory(label: "b", value: 1),
    ]
    let series = TimeSeries(
      buckets: [0, 3_600_000_000_000], span: 3_600_000_000_000,
      lines: [.init(name: text, values: [1, 2], link: link)], previous: [2, 1])
    let geo = ChartData.geo(
      countries: [GeoPoint(countryCode: text, name: text, value: 5, link: link)],
      points: [MapPoint(label: text, value: 1, latitude: 10, longitude: 10, link: link)])
    for kind in ChartKind.allCases {
      let label = ChartLabel(id: text, title: text, description: text)
      try Self.check(ChartRenderer.svg(kind, .categories(categories), label: label))
      try Self.check(ChartRenderer.svg(kind, .series(series), label: label))
      try Self.check(ChartRenderer.svg(kind, geo, label: label))
    }
  }

  @Test func randomLabelsNeverBreakTheDocument() async throws {
    await propertyCheck(count: 300, input: Gen<Character>.latin1.string(of: 0...60)) { text in
      let svg = ChartRenderer.svg(
        .toplist, .categories([ChartCategory(label: text, value: 1, link: text)]),
        label: ChartLabel(id: text, title: text, description: text))
      let shape = try? SVGShape(svg)
      #expect(shape != nil, "not well-formed for \(Array(text.unicodeScalars))")
      #expect(shape?.elements.allSatisfy(Self.elements.contains) ?? false)
    }
  }

  @Test func escapeCoversEveryMarkupCharacter() {
    #expect(
      Markup.escape("<a href=\"x\" title='y'>&</a>") == "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;")
    #expect(Markup.escape("a\u{202E}b\u{0}c") == "a\u{FFFD}b\u{FFFD}c")
    #expect(Markup.value(String(repeating: "x", count: 500)).count == Markup.longestText)
  }

  /// The fast paths (plain ASCII, ASCII with something to replace) agree with escaping one scalar at a
  /// time, for random mixes of plain, markup, control, bidi and other non-ASCII characters.
  @Test func escapeAgreesWithTheScalarByScalarDefinition() {
    func reference(_ text: String) -> String {
      var out = ""
      for scalar in text.unicodeScalars {
        switch scalar {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        case "'": out += "&#39;"
        default: out.unicodeScalars.append(Printable.isUnsafe(scalar) ? "\u{FFFD}" : scalar)
        }
      }
      return out
    }
    let pieces: [Unicode.Scalar] = [
      "a", "Z", "0", " ", "~", "&", "<", ">", "\"", "'", "\u{0}", "\t", "\n", "\u{7F}", "\u{80}", "é", "\u{202E}",
      "\u{200D}", "\u{2028}", "日", "🙂", "\u{FEFF}",
    ]
    var random = SeededGenerator(seed: 15)
    var mixed = 0
    for round in 0..<2000 {
      // A third of the strings stay ASCII so that each path is taken many times.
      let pool = round % 3 == 0 ? Array(pieces.prefix(14)) : pieces
      var text = String.UnicodeScalarView()
      for _ in 0..<Int.random(in: 0...40, using: &random) { text.append(pool.randomElement(using: &random) ?? "a") }
      let string = String(text)
      if string.unicodeScalars.contains(where: { !$0.isASCII }) { mixed += 1 }
      #expect(Markup.escape(string) == reference(string), "\(Array(string.unicodeScalars))")
      #expect(Markup.escape(Substring(string)) == reference(string))
    }
    #expect(mixed > 500)
  }

  @Test func numbersAreLocaleFreeAndBounded() {
    #expect(Markup.number(12.34) == "12.3")
    #expect(Markup.number(-0.05) == "-0.1")
    #expect(Markup.number(.nan) == "0")
    #expect(Markup.number(.infinity) == "0")
    #expect(Markup.count(1_234_567) == "1,234,567")
    #expect(Markup.count(2.5) == "2.50")
    #expect(Markup.short(1500) == "1.5k")
  }
}
