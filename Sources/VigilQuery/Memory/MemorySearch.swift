import VigilCore

/// Runs a plan over events held in memory: the in-memory store's search, and the reference the SQL
/// back end is tested against.
package enum MemorySearch {
  package static func run(_ plan: SearchPlan, over events: [StoredEvent]) -> SearchResult {
    let filter = MemoryFilter(plan.filter)
    func selected(_ range: TimeRange) -> [StoredEvent] { select(events, filter, range) }
    guard let aggregation = plan.aggregation else { return list(plan, selected(plan.range)) }
    let current = aggregate(aggregation, selected(plan.range))
    let previous = plan.compare.map { shift in aggregate(aggregation, selected(plan.range.shifted(by: shift))) }
    return AggregateFinisher(plan: plan, aggregation: aggregation).finish(
      current, previous: previous, sortedAndLimited: false)
  }

  /// The events in `range` that pass `filter`.
  static func select(_ events: [StoredEvent], _ filter: MemoryFilter, _ range: TimeRange) -> [StoredEvent] {
    events.filter { range.contains(FieldValue.nanoseconds($0.event.time)) && filter.matches($0.event) }
  }

  static func list(_ plan: SearchPlan, _ events: [StoredEvent]) -> SearchResult {
    let names = FieldCatalog.fields.map(\.name) + [SearchPlan.sequenceColumn]
    var rows: [ResultRow] = events.map { stored in
      FieldCatalog.fields.map { $0.value(stored.event) } + [.integer(stored.sequence)]
    }
    RowOrder.apply(plan.sort, limit: plan.limit, to: &rows, names: names)
    let indexes = plan.columns.compactMap { names.firstIndex(of: $0) }
    return SearchResult(columns: plan.resultColumns, rows: rows.map { row in indexes.map { row[$0] } })
  }

  /// Rows in ``SearchPlan/aggregateColumns(_:)`` order, unsorted.
  static func aggregate(_ aggregation: Aggregation, _ events: [StoredEvent]) -> [ResultRow] {
    let groupFields = aggregation.groups.compactMap(FieldCatalog.field(named:))
    var groups: [[FieldValue?]: Accumulator] = [:]
    var order: [[FieldValue?]] = []
    for stored in events {
      var key: [FieldValue?] = []
      if let span = aggregation.span {
        let bucket = Rollup.floor(FieldValue.nanoseconds(stored.event.time), span)
        key.append(.time(FieldValue.timestamp(nanoseconds: bucket)))
      }
      key += groupFields.map { $0.value(stored.event) }
      if groups[key] == nil {
        groups[key] = Accumulator(aggregation.metrics)
        order.append(key)
      }
      groups[key]?.add(stored.event)
    }
    // An overall count of nothing is one row of zero, as in SQL.
    if events.isEmpty, aggregation.span == nil, aggregation.groups.isEmpty {
      return [Accumulator(aggregation.metrics).row(coordinates: aggregation.coordinates)]
    }
    return order.map { key in key + (groups[key]?.row(coordinates: aggregation.coordinates) ?? []) }
  }

  /// Running metrics of one group.
  struct Accumulator {
    var metrics: [Metric]
    var fields: [Field?]
    var count: Int64 = 0
    var distinct: [Set<FieldValue>]
    var extremes: [FieldValue?]
    var integerSums: [Int64?]
    var doubleSums: [Double?]
    var counts: [Int64]
    var latitude = 0.0
    var longitude = 0.0
    var located: Int64 = 0

    init(_ metrics: [Metric]) {
      self.metrics = metrics
      fields = metrics.map { $0.field.flatMap(FieldCatalog.field(named:)) }
      distinct = Array(repeating: [], count: metrics.count)
      extremes = Array(repeating: nil, count: metrics.count)
      integerSums = Array(repeating: nil, count: metrics.count)
      doubleSums = Array(repeating: nil, count: metrics.count)
      counts = Array(repeating: 0, count: metrics.count)
    }

    mutating func add(_ event: CanonicalEvent) {
      count += 1
      if let lat = event.geo.latitude, let lon = event.geo.longitude {
        latitude += lat
        longitude += lon
        located += 1
      }
      for (index, metric) in metrics.enumerated() {
        guard let value = fields[index]?.value(event) else { continue }
        switch metric {
        case .count: break
        case .distinct: distinct[index].insert(value)
        case .min:
          if extremes[index].map({ RowOrder.compare(value, $0) < 0 }) ?? true { extremes[index] = value }
        case .max:
          if extremes[index].map({ RowOrder.compare(value, $0) > 0 }) ?? true { extremes[index] = value }
        case .sum, .average:
          counts[index] += 1
          switch value {
          case .integer(let number): integerSums[index] = (integerSums[index] ?? 0) &+ number
          case .double(let number): doubleSums[index] = (doubleSums[index] ?? 0) + number
          default: break
          }
        }
      }
    }

    func row(coordinates: Bool) -> ResultRow {
      var row: ResultRow = metrics.indices.map { index in
        switch metrics[index] {
        case .count: return .integer(count)
        case .distinct: return .integer(Int64(distinct[index].count))
        case .min, .max: return extremes[index]
        case .sum:
          if let sum = integerSums[index] { return .integer(sum) }
          return doubleSums[index].map(FieldValue.double)
        case .average:
          guard counts[index] > 0 else { return nil }
          let total = doubleSums[index] ?? Double(integerSums[index] ?? 0)
          return .double(total / Double(counts[index]))
        }
      }
      if coordinates {
        row.append(located > 0 ? .double(latitude / Double(located)) : nil)
        row.append(located > 0 ? .double(longitude / Double(located)) : nil)
      }
      return row
    }
  }
}

/// The steps after aggregating that both back ends share: joining the `compare` run, ordering,
/// limiting and picking the output columns.
package struct AggregateFinisher {
  package let plan: SearchPlan
  package let aggregation: Aggregation

  package init(plan: SearchPlan, aggregation: Aggregation) {
    self.plan = plan
    self.aggregation = aggregation
  }

  /// - Parameter sortedAndLimited: the rows already follow the plan's order and limit (SQL did it).
  package func finish(_ rows: [ResultRow], previous: [ResultRow]?, sortedAndLimited: Bool) -> SearchResult {
    var names = SearchPlan.aggregateColumns(aggregation)
    var rows = rows
    if let previous, let shift = plan.compare {
      let keyWidth = (aggregation.span == nil ? 0 : 1) + aggregation.groups.count
      var earlier: [[FieldValue?]: ResultRow] = [:]
      for row in previous {
        var key = Array(row.prefix(keyWidth))
        if aggregation.span != nil, case .time(let time)? = key[0] {
          key[0] = .time(FieldValue.timestamp(nanoseconds: FieldValue.nanoseconds(time) &+ shift))
        }
        earlier[key] = Array(row.dropFirst(keyWidth))
      }
      rows = rows.map { row in
        let metrics = earlier[Array(row.prefix(keyWidth))]
        return row
          + aggregation.metrics.indices.map { index in
            if let value = metrics?[index] { return value }
            switch aggregation.metrics[index] {
            case .count, .distinct: return .integer(0)
            default: return nil
            }
          }
      }
      names += aggregation.metrics.map { SearchPlan.previousColumn($0.description) }
    }
    if !sortedAndLimited { RowOrder.apply(plan.sort, limit: plan.limit, to: &rows, names: names) }
    let indexes = plan.columns.compactMap { names.firstIndex(of: $0) }
    return SearchResult(columns: plan.resultColumns, rows: rows.map { row in indexes.map { row[$0] } })
  }
}
