import VigilCore

/// A parsed query: a filter over events, then pipeline stages.
package struct Query: Hashable, Sendable {
  package var filter: Filter
  package var stages: [Stage]
  /// Where each stage starts in the query text (for errors the planner finds).
  package var stagePositions: [Int]

  package init(filter: Filter, stages: [Stage] = [], stagePositions: [Int] = []) {
    self.filter = filter
    self.stages = stages
    self.stagePositions = stagePositions
  }
}

/// The filter AST: the one thing both back ends (SQL and the in-memory evaluator) interpret.
package indirect enum Filter: Hashable, Sendable {
  /// Matches every event (the empty query).
  case all
  case and([Filter])
  case or([Filter])
  case not(Filter)
  case term(Target, Predicate)
  /// Free text: a case-insensitive (ASCII) substring of any searchable field; `*` and `?` are wildcards.
  case text(String)
}

/// What a term looks at: a catalog field (by its canonical name) or a path into the raw JSON.
package enum Target: Hashable, Sendable {
  case field(String)
  case raw([String])
}

/// A typed literal: converted to the field's type when the query is parsed.
package enum Literal: Hashable, Sendable {
  case string(String)
  case integer(Int64)
  case double(Double)
  /// Nanoseconds since the epoch.
  case time(Int64)
}

package enum Comparison: String, Hashable, Sendable {
  case less = "<"
  case lessOrEqual = "<="
  case greater = ">"
  case greaterOrEqual = ">="
}

package enum Predicate: Hashable, Sendable {
  case equals(Literal)
  /// `*` any run, `?` one character; ASCII letters match either case.
  case wildcard(String)
  case compare(Comparison, Literal)
  case range(lower: Literal, lowerInclusive: Bool, upper: Literal, upperInclusive: Bool)
  /// `field:*`: the field has a value.
  case exists
  case network(IPNetwork)
}

/// One pipeline stage, as written.
package enum Stage: Hashable, Sendable {
  /// `count`, `count by`, `dc(f) by`, `stats …`, `timechart …`, `top`, `rare`, `geo`.
  case aggregate(Aggregation)
  case sort([SortKey])
  case fields([String])
  case limit(Int)
  /// `compare 1d`: the same aggregation over the range shifted back by this many nanoseconds.
  case compare(Int64)
}

/// An aggregation: metrics per group (and per time bucket for timecharts).
package struct Aggregation: Hashable, Sendable {
  /// `timechart span=…`: the bucket width in nanoseconds (0 = choose from the time range).
  package var span: Int64?
  /// Canonical field names to group by.
  package var groups: [String]
  package var metrics: [Metric]
  /// `geo`: adds the mean latitude and longitude of each group's located events.
  package var coordinates: Bool
  /// `top`/`rare`: the order and the number of groups kept (applied unless a later stage sorts or limits).
  package var ranking: Ranking?

  package struct Ranking: Hashable, Sendable {
    package var count: Int
    package var ascending: Bool
  }

  package init(
    span: Int64? = nil, groups: [String], metrics: [Metric], coordinates: Bool = false, ranking: Ranking? = nil
  ) {
    self.span = span
    self.groups = groups
    self.metrics = metrics
    self.coordinates = coordinates
    self.ranking = ranking
  }
}

package enum Metric: Hashable, Sendable, CustomStringConvertible {
  case count
  case distinct(String)
  case min(String)
  case max(String)
  case sum(String)
  case average(String)

  package var description: String {
    switch self {
    case .count: "count"
    case .distinct(let field): "dc(\(field))"
    case .min(let field): "min(\(field))"
    case .max(let field): "max(\(field))"
    case .sum(let field): "sum(\(field))"
    case .average(let field): "avg(\(field))"
    }
  }

  package var field: String? {
    switch self {
    case .count: nil
    case .distinct(let field), .min(let field), .max(let field), .sum(let field), .average(let field): field
    }
  }
}

package struct SortKey: Hashable, Sendable {
  /// A result column (aggregations) or a canonical field name (event listings).
  package var column: String
  package var descending: Bool

  package init(_ column: String, descending: Bool) {
    self.column = column
    self.descending = descending
  }
}
