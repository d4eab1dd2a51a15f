import Foundation
import Testing
import VigilCharts

/// Each chart kind against its golden SVG in `Fixtures/`. A change to the drawing shows up as a diff of
/// the file; `VIGIL_UPDATE_GOLDEN=1 swift test --filter GoldenChartTests` rewrites them (then review the diff).
@Suite struct GoldenChartTests {
  static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

  @Test(arguments: ChartSamples.all.map(\.name))
  func matchesGolden(name: String) throws {
    let sample = try #require(ChartSamples.all.first { $0.name == name })
    let svg = ChartRenderer.svg(
      sample.kind, sample.data,
      label: ChartLabel(id: "chart-\(name)", title: "Sample \(name)", description: "Golden sample of a \(name) chart"))
    let file = Self.fixtures.appendingPathComponent("\(name).svg")
    if ProcessInfo.processInfo.environment["VIGIL_UPDATE_GOLDEN"] == "1" {
      try Data(svg.utf8).write(to: file)
    }
    let golden = try String(contentsOf: file, encoding: .utf8)
    #expect(svg == golden, "\(name).svg differs from its golden file")
  }

  @Test func sameDataSameBytes() {
    for sample in ChartSamples.all {
      let label = ChartLabel(id: "x", title: "t", description: "d")
      #expect(
        ChartRenderer.svg(sample.kind, sample.data, label: label)
          == ChartRenderer.svg(sample.kind, sample.data, label: label))
    }
  }

  @Test func everyChartIsLabelledForAssistiveTechnology() throws {
    for sample in ChartSamples.all {
      let svg = ChartRenderer.svg(
        sample.kind, sample.data, label: ChartLabel(id: "p1", title: "Title", description: "Says what"))
      #expect(svg.hasPrefix("<svg "))
      #expect(svg.contains("role=\"img\" aria-labelledby=\"p1-title p1-desc\""))
      #expect(svg.contains("<title id=\"p1-title\">Title</title><desc id=\"p1-desc\">Says what</desc>"))
      let shape = try SVGShape(svg)
      #expect(shape.elements.first == "svg")
    }
  }

  @Test func mapShadesTheCountriesWithEventsAndLinksThem() {
    let svg = ChartRenderer.svg(
      .map, .geo(countries: ChartSamples.countries, points: []),
      label: ChartLabel(id: "m", title: "Map", description: "d"))
    #expect(svg.contains("<a href=\"/search?q=country%3AUS\"><path class=\"land l5\""))
    #expect(svg.contains("Germany (DE): 120"))
    // Lower-case codes from a feed still find their country.
    #expect(svg.contains("Russia (RU): 3"))
  }

  @Test func theMapKnowsTheCountriesEventsComeFrom() {
    for code in ["US", "GB", "DE", "FR", "RU", "CN", "BR", "IN", "AU", "JP", "CA", "ZA", "XK"] {
      #expect(WorldMap.codes.contains(code), "no outline for \(code)")
    }
    #expect(WorldMap.codes.count > 150)
  }
}
