import VigilCharts

/// The data the golden files are drawn from: fixed values, so the same SVG every run.
enum ChartSamples {
  static let hour: Int64 = 3_600_000_000_000
  static let start: Int64 = 1_793_491_200_000_000_000  // 2026-11-01T00:00:00Z

  static let categories: [ChartCategory] = [
    ChartCategory(label: "success", value: 1234, previous: 1100, link: "/search?q=signin+action%3Asuccess"),
    ChartCategory(label: "credentials_failed", value: 310, previous: 420, link: "/search?q=a&b=1"),
    ChartCategory(label: "mfa_failed", value: 42, previous: 40),
    ChartCategory(label: "firewall_failed", value: 7),
    ChartCategory(label: "", value: 1),
  ]

  static let series = TimeSeries(
    buckets: (0..<24).map { start + Int64($0) * hour }, span: hour,
    lines: [
      .init(name: "success", values: (0..<24).map { Double(($0 * 37) % 50 + 10) }, link: "/search?q=success"),
      .init(name: "credentials_failed", values: (0..<24).map { Double(($0 * 13) % 9) }),
    ],
    previous: (0..<24).map { Double(($0 * 29) % 45 + 12) })

  static let countries: [GeoPoint] = [
    GeoPoint(
      countryCode: "US", name: "United States", value: 900, latitude: 39, longitude: -98, link: "/search?q=country%3AUS"
    ),
    GeoPoint(countryCode: "DE", name: "Germany", value: 120, latitude: 51, longitude: 10),
    GeoPoint(countryCode: "ru", name: "Russia", value: 3, latitude: 55.7, longitude: 37.6),
  ]

  static let cities: [MapPoint] = [
    MapPoint(label: "New York", value: 400, latitude: 40.7, longitude: -74, link: "/search?q=city%3A%22New+York%22"),
    MapPoint(label: "Berlin", value: 80, latitude: 52.5, longitude: 13.4),
  ]

  /// Every kind with the data it is meant for, named as its golden file.
  static var all: [(name: String, kind: ChartKind, data: ChartData)] {
    [
      ("line", .line, .series(series)),
      ("area", .area, .series(series)),
      ("bars", .bars, .series(series)),
      ("stacked_bars", .stackedBars, .series(series)),
      ("toplist", .toplist, .categories(categories)),
      ("donut", .donut, .categories(categories)),
      ("single", .single, .categories([ChartCategory(label: "failed", value: 352, previous: 460)])),
      ("map", .map, .geo(countries: countries, points: cities)),
      ("empty", .bars, .categories([])),
    ]
  }
}
