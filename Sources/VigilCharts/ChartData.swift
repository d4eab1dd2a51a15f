/// One labelled value: a bar, a toplist row, a donut slice, a single value.
package struct ChartCategory: Hashable, Sendable {
  package var label: String
  package var value: Double
  /// The same measure over the comparison range (`compare 1d`), when there is one.
  package var previous: Double?
  /// Where a click goes (a filtered search); rendered escaped.
  package var link: String?

  package init(label: String, value: Double, previous: Double? = nil, link: String? = nil) {
    self.label = label
    self.value = value
    self.previous = previous
    self.link = link
  }
}

/// Values over time: one row per series, one value per bucket.
package struct TimeSeries: Hashable, Sendable {
  package struct Line: Hashable, Sendable {
    package var name: String
    package var values: [Double]
    package var link: String?

    package init(name: String, values: [Double], link: String? = nil) {
      self.name = name
      self.values = values
      self.link = link
    }
  }

  /// The start of each bucket, nanoseconds since the epoch, ascending.
  package var buckets: [Int64]
  /// The width of a bucket in nanoseconds.
  package var span: Int64
  package var lines: [Line]
  /// The whole measure over the comparison range, bucket by bucket (`compare 1d`).
  package var previous: [Double]?

  package init(buckets: [Int64], span: Int64, lines: [Line], previous: [Double]? = nil) {
    self.buckets = buckets
    self.span = span
    self.lines = lines
    self.previous = previous
  }
}

/// Where events came from: one entry per country, with the mean position of its located events.
package struct GeoPoint: Hashable, Sendable {
  package var countryCode: String
  package var name: String
  package var value: Double
  package var latitude: Double?
  package var longitude: Double?
  package var link: String?

  package init(
    countryCode: String, name: String, value: Double, latitude: Double? = nil, longitude: Double? = nil,
    link: String? = nil
  ) {
    self.countryCode = countryCode
    self.name = name
    self.value = value
    self.latitude = latitude
    self.longitude = longitude
    self.link = link
  }
}

/// A city (or any located group) drawn as a point over the map.
package struct MapPoint: Hashable, Sendable {
  package var label: String
  package var value: Double
  package var latitude: Double
  package var longitude: Double
  package var link: String?

  package init(label: String, value: Double, latitude: Double, longitude: Double, link: String? = nil) {
    self.label = label
    self.value = value
    self.latitude = latitude
    self.longitude = longitude
    self.link = link
  }
}

/// What a chart draws.
package enum ChartData: Hashable, Sendable {
  case categories([ChartCategory])
  case series(TimeSeries)
  case geo(countries: [GeoPoint], points: [MapPoint])
}

/// How a panel draws its result. `table` is rendered as HTML by the web app, never as SVG.
package enum ChartKind: String, CaseIterable, Hashable, Sendable {
  case line, area, bars, stackedBars = "stacked_bars", toplist, donut, single, table, map
}

/// A chart's name and its description for assistive technology (`<title>`, `<desc>`).
package struct ChartLabel: Hashable, Sendable {
  /// A unique id on the page, used for `aria-labelledby`; only letters, digits, `-` and `_` are kept.
  package var id: String
  package var title: String
  package var description: String

  package init(id: String, title: String, description: String) {
    self.id = String(String.UnicodeScalarView(id.unicodeScalars.filter(Self.isIdentifier)))
    self.title = title
    self.description = description
  }

  private static func isIdentifier(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar {
    case "a"..."z", "A"..."Z", "0"..."9", "-", "_": true
    default: false
    }
  }
}
