import VigilCore

/// Which rollups can answer an aggregation exactly, and how its time range splits between them and
/// the events table: whole days from a day rollup, whole hours around them from an hour rollup, the
/// partial hours at the edges from the events themselves.
enum RollupChoice {
  struct Segment: Hashable {
    /// Nil: the events table.
    var rollup: Rollup.Granularity?
    var range: TimeRange
  }

  /// The first family whose rollups cover every field the plan touches, with the granularities the
  /// span allows (coarsest first); empty when only the events table can answer.
  static func rollups(for plan: SearchPlan, aggregation: Aggregation) -> [Rollup] {
    guard let fields = Self.fields(of: plan.filter) else { return [] }
    var needed = fields.union(aggregation.groups)
    for metric in aggregation.metrics {
      switch metric {
      case .count: break
      case .distinct(let field), .min(let field), .max(let field): needed.insert(field)
      case .sum, .average: return []
      }
    }
    let families = Rollup.all.reduce(into: [String]()) { if !$0.contains($1.family) { $0.append($1.family) } }
    for family in families {
      let candidates = Rollup.all.filter { rollup in
        rollup.family == family && needed.isSubset(of: Set(rollup.dimensions.map(\.name)))
          && (!aggregation.coordinates || rollup.keepsCoordinates)
          && (aggregation.span.map { $0 % rollup.granularity.nanoseconds == 0 } ?? true)
      }
      if !candidates.isEmpty { return candidates.sorted { $0.granularity.rawValue > $1.granularity.rawValue } }
    }
    return []
  }

  /// Field names a filter reads; nil when it reads something no rollup has (free text, raw JSON).
  static func fields(of filter: Filter) -> Set<String>? {
    switch filter {
    case .all: return []
    case .text: return nil
    case .term(.raw, _): return nil
    case .term(.field(let name), _): return [name]
    case .not(let inner): return fields(of: inner)
    case .and(let items), .or(let items):
      var names: Set<String> = []
      for item in items {
        guard let more = fields(of: item) else { return nil }
        names.formUnion(more)
      }
      return names
    }
  }

  /// Splits `range` between the granularities given (coarsest first) and the events table.
  static func segments(_ range: TimeRange, granularities: [Rollup.Granularity]) -> [Segment] {
    guard !range.isEmpty else { return [Segment(rollup: nil, range: range)] }
    guard let granularity = granularities.first else { return [Segment(rollup: nil, range: range)] }
    let rest = Array(granularities.dropFirst())
    let step = granularity.nanoseconds
    let start = range.from.map { Rollup.ceil($0, step) }
    let end = range.to.map { Rollup.floor($0, step) }
    if let start, let end, start >= end { return segments(range, granularities: rest) }
    var result = [Segment(rollup: granularity, range: TimeRange(from: start, to: end))]
    if let from = range.from, let start, start > from {
      result += segments(TimeRange(from: from, to: start), granularities: rest)
    }
    if let to = range.to, let end, end < to {
      result += segments(TimeRange(from: end, to: to), granularities: rest)
    }
    return result
  }
}
