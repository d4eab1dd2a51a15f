import VigilEventsAPIModel

/// What a commit adds to the rollups (``Rollup/all``): per rollup, a count (and coordinate sums) per
/// bucket and dimension values. Each store writes the totals in the transaction that stores the events,
/// so the rollups stay exact.
package struct RollupTotals: Sendable {
  package struct Key: Hashable, Sendable {
    package var bucket: Int64
    /// The rollup's dimensions in ``Rollup/dimensions`` order; nil is an absent value.
    package var dimensions: [String?]
  }

  package struct Totals: Sendable {
    package var count: Int64 = 0
    package var latitude = 0.0
    package var longitude = 0.0
    package var located: Int64 = 0
  }

  /// Per rollup in ``Rollup/all`` order.
  package private(set) var totals: [[Key: Totals]] = Rollup.all.map { _ in [:] }

  package init() {}

  package var isEmpty: Bool { totals.allSatisfy(\.isEmpty) }

  /// Every field some rollup keys on, read once per event (ingest's hot path).
  private static let fields: [Field] = Rollup.all.flatMap(\.dimensions).reduce(into: []) { fields, field in
    if !fields.contains(where: { $0.name == field.name }) { fields.append(field) }
  }

  /// The readers of ``fields`` (copying a ``Field`` per event costs eight retains and releases).
  private static let values = fields.map(\.value)

  /// For each rollup, where its dimensions stand in ``fields``.
  private static let positions: [[Int]] = Rollup.all.map { rollup in
    rollup.dimensions.compactMap { field in fields.firstIndex { $0.name == field.name } }
  }

  /// Counts an event into its buckets; a weight of -1 takes it out again (a rescan that changed it).
  package mutating func add(_ event: CanonicalEvent, weight: Int64 = 1) {
    let time = FieldValue.nanoseconds(event.time)
    let values: [String?] = Self.values.map { read in
      if case .string(let value)? = read(event) { value } else { nil }
    }
    for (index, rollup) in Rollup.all.enumerated() {
      let key = Key(bucket: rollup.bucket(time), dimensions: Self.positions[index].map { values[$0] })
      var entry = totals[index][key] ?? Totals()
      entry.count += weight
      if rollup.keepsCoordinates, let lat = event.geo.latitude, let lon = event.geo.longitude {
        entry.latitude += Double(weight) * lat
        entry.longitude += Double(weight) * lon
        entry.located += weight
      }
      totals[index][key] = entry
    }
  }

  /// Whether two versions of an event count differently in some rollup.
  package static func differ(_ old: CanonicalEvent, _ new: CanonicalEvent) -> Bool {
    if old.geo.latitude != new.geo.latitude || old.geo.longitude != new.geo.longitude { return true }
    return values.contains { $0(old) != $0(new) }
  }

  /// A rollup's key columns in table order: the leading dimensions, the bucket, the trailing ones.
  package static func keyColumns(_ rollup: Rollup) -> [String] {
    rollup.leading.map(\.column) + ["bucket"] + rollup.trailing.map(\.column)
  }

  /// A rollup's measure columns.
  package static func measureColumns(_ rollup: Rollup) -> [String] {
    ["n"] + (rollup.keepsCoordinates ? ["lat_sum", "lon_sum", "located"] : [])
  }
}
