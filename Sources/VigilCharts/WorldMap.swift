/// A choropleth of the world: each country shaded by its count (five steps on a log scale), optional
/// points (cities) sized by theirs. Outlines come from `WorldShapes.swift`, generated from public-domain
/// data by `scripts/gen_world_map.py`.
package enum WorldMap {
  static let width = 1000.0
  /// Latitudes 84° N to 58° S: the outlines' box (1000 x 500) without the polar caps.
  static let height = 400.0
  static let top = 16.0

  /// Every country code the map can shade.
  package static var codes: Set<String> { Set(shapes.keys) }

  static func draw(_ countries: [GeoPoint], points: [MapPoint], on canvas: inout SVGCanvas) {
    let byCode = Dictionary(
      countries.map { ($0.countryCode.uppercased(), $0) }, uniquingKeysWith: { $0.value >= $1.value ? $0 : $1 })
    let highest = countries.map(\.value).max() ?? 0
    canvas.raw("<g transform=\"translate(0,-\(Markup.number(top)))\">")
    for code in shapes.keys.sorted() {
      guard let shape = shapes[code] else { continue }
      guard let country = byCode[code], country.value > 0 else {
        canvas.path(shape, className: "land")
        continue
      }
      let opened = canvas.openLink(country.link)
      canvas.path(
        shape, className: "land l\(step(country.value, highest: highest))",
        tip: country.name + " (" + code + "): " + Markup.count(country.value))
      canvas.closeLink(opened)
    }
    let largest = points.map(\.value).max() ?? 0
    for point in points.sorted(by: { $0.value > $1.value }).prefix(ChartRenderer.mostItems) {
      let (x, y) = project(latitude: point.latitude, longitude: point.longitude)
      let radius = largest > 0 ? 2 + 8 * Trig.squareRoot(point.value / largest) : 2
      let opened = canvas.openLink(point.link)
      canvas.circle(x: x, y: y, radius: radius, className: "point", tip: point.label + ": " + Markup.count(point.value))
      canvas.closeLink(opened)
    }
    canvas.raw("</g>")
  }

  /// Shade 1 (few) to 5 (the most), on a log scale so that one busy country does not wash out the rest.
  static func step(_ value: Double, highest: Double) -> Int {
    guard highest > 1, value > 0 else { return 1 }
    let fraction = Trig.log(value + 1) / Trig.log(highest + 1)
    return min(5, max(1, Int((fraction * 5).rounded(.up))))
  }

  /// The same equirectangular projection as the outlines.
  static func project(latitude: Double, longitude: Double) -> (Double, Double) {
    let lon = min(max(longitude, -180), 180)
    let lat = min(max(latitude, -90), 90)
    return ((lon + 180) / 360 * width, (90 - lat) / 180 * 500)
  }
}
