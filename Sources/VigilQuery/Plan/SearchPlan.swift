import VigilCore

/// A query made ready to run: the filter with its top-level time terms folded into the range, the
/// aggregation with its span chosen, a complete (deterministic) sort order, the limit, the output
/// columns and the comparison shift. Both back ends run plans, never raw queries.
package struct SearchPlan: Hashable, Sendable {
  package var filter: Filter
  package var range: TimeRange
  package var aggregation: Aggregation?
  /// Complete: ties are broken down to the group values (aggregations) or the sequence (listings).
  package var sort: [SortKey]
  package var limit: Int?
  /// Output columns, in order. Listings: field names; aggregations: result column names.
  package var columns: [String]
  /// `compare`: the shift in nanoseconds; the aggregation runs a second time over the shifted range.
  package var compare: Int64?
  /// Advice for the person who wrote the query (it still ran as written), e.g. a stage without its pipe.
  package var hints: [String] = []

  /// Result column names of an aggregation, before `compare` and `fields`.
  package static func aggregateColumns(_ aggregation: Aggregation) -> [String] {
    var columns = aggregation.span == nil ? [] : [Self.timeColumn]
    columns += aggregation.groups
    columns += aggregation.metrics.map(\.description)
    if aggregation.coordinates { columns += [FieldCatalog.latitude.name, FieldCatalog.longitude.name] }
    return columns
  }

  /// The output columns with their types.
  package var resultColumns: [ResultColumn] { Self.resultColumns(columns, aggregation: aggregation) }

  package static func resultColumns(_ names: [String], aggregation: Aggregation?) -> [ResultColumn] {
    names.map { ResultColumn(name: $0, type: columnType($0, aggregation: aggregation)) }
  }

  /// The bucket column of timecharts.
  package static let timeColumn = "_time"
  /// The sequence number of listed events (the last tie-breaker of a listing's order).
  package static let sequenceColumn = "_sequence"

  package static func previousColumn(_ metric: String) -> String { metric + ".previous" }

  /// The type of values a result column holds.
  package static func columnType(_ column: String, aggregation: Aggregation?) -> FieldType {
    if column == timeColumn { return .time }
    if column == sequenceColumn { return .integer }
    if let aggregation {
      let base = column.hasSuffix(".previous") ? String(column.dropLast(9)) : column
      if let metric = aggregation.metrics.first(where: { $0.description == base }) {
        switch metric {
        case .count, .distinct: return .integer
        case .average: return .double
        case .min(let field), .max(let field), .sum(let field):
          return FieldCatalog.field(named: field)?.type ?? .keyword
        }
      }
      if aggregation.coordinates, column == FieldCatalog.latitude.name || column == FieldCatalog.longitude.name {
        return .double
      }
    }
    return FieldCatalog.field(named: column)?.type ?? .keyword
  }
}
