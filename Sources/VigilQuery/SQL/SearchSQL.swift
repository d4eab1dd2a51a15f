import VigilCore
import VigilEventsAPIModel

/// Turns a ``SearchPlan`` into SQL: listings read the events table (newest first through the time
/// index, or through a field's index); aggregations read the rollups for whole buckets and the events
/// table for the rest, as one `UNION ALL` that the outer query aggregates with weights.
package struct SearchSQL {
  package let dialect: SQLDialect

  package init(dialect: SQLDialect) { self.dialect = dialect }

  /// The statement for a listing: one row per event, the plan's columns in order, or the given
  /// column expressions of the events table (exports read whole events).
  package func listing(_ plan: SearchPlan, selecting expressions: [String]? = nil) -> SQLStatement {
    var builder = SQLBuilder(dialect: dialect)
    let filter = FilterSQL(source: .events, dialect: dialect)
    let selected = expressions ?? plan.columns.map(Self.listingColumn)
    var conditions = timeConditions(FieldCatalog.time.column, plan.range, &builder)
    if let condition = filter.condition(plan.filter, &builder) { conditions.append(condition) }
    var sql = "SELECT " + selected.joined(separator: ", ") + " FROM events"
    if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
    sql +=
      " ORDER BY "
      + plan.sort.map { key in
        let column = Self.listingColumn(key.column)
        return "\(column) \(builder.direction(key.descending, nullable: !Self.neverAbsent.contains(column)))"
      }.joined(separator: ", ")
    if let limit = plan.limit { sql += " LIMIT \(builder.bind(.integer(Int64(limit))))" }
    return SQLStatement(
      sql: sql, parameters: builder.parameters,
      columns: SearchPlan.resultColumns(plan.columns, aggregation: nil))
  }

  /// Columns every stored event has.
  static let neverAbsent: Set<String> = ["sequence", FieldCatalog.time.column]

  static func listingColumn(_ name: String) -> String {
    name == SearchPlan.sequenceColumn ? "sequence" : FieldCatalog.field(named: name)?.column ?? "NULL"
  }

  /// The statement for an aggregation over `range`, with columns in
  /// ``SearchPlan/aggregateColumns(_:)`` order; sorted and limited when `ordered`.
  package func aggregate(_ plan: SearchPlan, _ aggregation: Aggregation, range: TimeRange, ordered: Bool)
    -> SQLStatement
  {
    var builder = SQLBuilder(dialect: dialect)
    let rollups = RollupChoice.rollups(for: plan, aggregation: aggregation)
    let segments = RollupChoice.segments(range, granularities: rollups.map(\.granularity))
    let metricFields = aggregation.metrics.compactMap(\.field)
    var outer: [String] = []
    if let span = aggregation.span {
      let s1 = builder.bind(.integer(span))
      let s2 = builder.bind(.integer(span))
      let s3 = builder.bind(.integer(span))
      outer.append("(t - ((t % \(s1)) + \(s2)) % \(s3))")
    }
    outer += aggregation.groups.indices.map { "g\($0)" }
    for (index, metric) in aggregation.metrics.enumerated() {
      let field = "m\(metricFields.firstIndex(of: metric.field ?? "") ?? index)"
      switch metric {
      case .count: outer.append("COALESCE(\(builder.integerSum("n")), 0)")
      case .distinct: outer.append("COUNT(DISTINCT \(field))")
      case .min: outer.append("MIN(\(field))")
      case .max: outer.append("MAX(\(field))")
      case .sum: outer.append("SUM(\(field))")
      case .average: outer.append("AVG(\(field))")
      }
    }
    if aggregation.coordinates {
      outer.append("SUM(lat) / NULLIF(SUM(located), 0)")
      outer.append("SUM(lon) / NULLIF(SUM(located), 0)")
    }
    // Placeholders bind in text order: the outer columns' come first, then the arms'.
    var arms: [String] = []
    for segment in segments {
      let rollup = rollups.first { $0.granularity == segment.rollup }
      arms.append(
        arm(
          plan, aggregation, rollup: segment.rollup == nil ? nil : rollup, range: segment.range,
          metricFields: metricFields, &builder))
    }
    let names = SearchPlan.aggregateColumns(aggregation)
    var sql = "SELECT " + outer.enumerated().map { "\($1) AS c\($0)" }.joined(separator: ", ") + " FROM ("
    sql += arms.joined(separator: " UNION ALL ") + ") AS src"
    let keyCount = (aggregation.span == nil ? 0 : 1) + aggregation.groups.count
    if keyCount > 0 { sql += " GROUP BY " + (0..<keyCount).map { "c\($0)" }.joined(separator: ", ") }
    if ordered {
      let keys = plan.sort.compactMap { key in
        names.firstIndex(of: key.column).map { "c\($0) \(builder.direction(key.descending))" }
      }
      if !keys.isEmpty { sql += " ORDER BY " + keys.joined(separator: ", ") }
      if let limit = plan.limit { sql += " LIMIT \(builder.bind(.integer(Int64(limit))))" }
    }
    return SQLStatement(
      sql: sql, parameters: builder.parameters,
      columns: SearchPlan.resultColumns(names, aggregation: aggregation))
  }

  /// One source of the union: the same columns from the events table (weight 1) or a rollup.
  private func arm(
    _ plan: SearchPlan, _ aggregation: Aggregation, rollup: Rollup?, range: TimeRange, metricFields: [String],
    _ builder: inout SQLBuilder
  ) -> String {
    let filter = FilterSQL(source: rollup.map(FilterSQL.Source.rollup) ?? .events, dialect: dialect)
    let timeColumn = rollup == nil ? FieldCatalog.time.column : "bucket"
    var columns: [String] = []
    if aggregation.span != nil { columns.append("\(timeColumn) AS t") }
    for (index, name) in aggregation.groups.enumerated() {
      guard let field = FieldCatalog.field(named: name) else { continue }
      columns.append("\(filter.column(field, equality: false)) AS g\(index)")
    }
    for (index, name) in metricFields.enumerated() {
      guard let field = FieldCatalog.field(named: name) else { continue }
      columns.append("\(filter.column(field, equality: false)) AS m\(index)")
    }
    let lat = FieldCatalog.latitude.column
    let lon = FieldCatalog.longitude.column
    if rollup == nil {
      columns.append("1 AS n")
      if aggregation.coordinates {
        let located = "\(lat) IS NOT NULL AND \(lon) IS NOT NULL"
        columns += [
          "CASE WHEN \(located) THEN \(lat) END AS lat", "CASE WHEN \(located) THEN \(lon) END AS lon",
          "CASE WHEN \(located) THEN 1 ELSE 0 END AS located",
        ]
      }
    } else {
      columns.append("n")
      if aggregation.coordinates { columns += ["lat_sum AS lat", "lon_sum AS lon", "located"] }
    }
    var conditions = timeConditions(timeColumn, range, &builder)
    if let rollup { conditions += leadingKeys(rollup, plan.filter, &builder) }
    if let condition = filter.condition(plan.filter, &builder) { conditions.append(condition) }
    var sql = "SELECT " + columns.joined(separator: ", ") + " FROM " + (rollup?.table ?? "events")
    if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
    return sql
  }

  /// Every value of each leading key column the filter does not pin, so that the scan is a set of
  /// ranges on the bucket instead of the whole rollup.
  private func leadingKeys(_ rollup: Rollup, _ filter: Filter, _ builder: inout SQLBuilder) -> [String] {
    let conjuncts: [Filter] = if case .and(let items) = filter { items } else { [filter] }
    var conditions: [String] = []
    for field in rollup.leading {
      let pinned = conjuncts.contains { conjunct in
        if case .term(.field(let name), .equals) = conjunct { name == field.name } else { false }
      }
      guard !pinned, let values = Self.allValues[field.name] else { continue }
      switch dialect {
      case .sqlite:
        conditions.append("\(field.column) IN (" + values.map { builder.bind($0) }.joined(separator: ", ") + ")")
      case .postgres:
        // PostgreSQL's rollups keep an absent value as NULL, not 0.
        let present = values.filter { $0 != .integer(0) }
        let list = "\(field.column) IN (" + present.map { builder.bind($0) }.joined(separator: ", ") + ")"
        conditions.append(present.count == values.count ? list : "(\(list) OR \(field.column) IS NULL)")
      }
    }
    return conditions
  }

  /// The complete value sets of the leading rollup columns (0 is a SQLite rollup's "absent").
  static let allValues: [String: [SQLValue]] = [
    FieldCatalog.stream.name: EventStream.allCases.map { SQLValue.text($0.rawValue) },
    FieldCatalog.outcome.name: Outcome.allCases.map { SQLValue.text($0.rawValue) } + [.integer(0)],
  ]

  private func timeConditions(_ column: String, _ range: TimeRange, _ builder: inout SQLBuilder) -> [String] {
    var conditions: [String] = []
    if let from = range.from { conditions.append("\(column) >= \(builder.bind(.integer(from)))") }
    if let to = range.to { conditions.append("\(column) < \(builder.bind(.integer(to)))") }
    return conditions
  }
}
