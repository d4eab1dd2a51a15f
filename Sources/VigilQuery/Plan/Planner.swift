import VigilCore

/// Checks a parsed query's stages and turns it into a ``SearchPlan``.
package struct Planner {
  /// Now, in nanoseconds (relative ranges and automatic spans).
  package var now: Int64
  /// Columns of a listing without a `fields` stage.
  package var defaultFields: [String]

  package init(now: Int64, defaultFields: [String] = Planner.summaryFields) {
    self.now = now
    self.defaultFields = defaultFields
  }

  /// What a listing shows when the query does not say: enough to read an event at a glance.
  package static let summaryFields = [
    FieldCatalog.time, FieldCatalog.stream, FieldCatalog.action, FieldCatalog.outcome, FieldCatalog.userEmail,
    FieldCatalog.sourceIP, FieldCatalog.countryCode, FieldCatalog.clientApp,
  ].map(\.name)

  package func plan(_ query: Query, range: TimeRange) throws(QueryError) -> SearchPlan {
    let (filter, folded) = Self.foldTime(query.filter)
    var plan = SearchPlan(
      filter: filter, range: range.intersection(folded), aggregation: nil, sort: [], limit: nil, columns: defaultFields,
      compare: nil)
    var explicitSort: [SortKey]?
    var fields: [String]?
    var position = 0
    var sortPosition = 0
    var fieldsPosition = 0
    for (offset, stage) in query.stages.enumerated() {
      position = offset < query.stagePositions.count ? query.stagePositions[offset] : 0
      switch stage {
      case .aggregate(var aggregation):
        guard plan.aggregation == nil else {
          throw QueryError("only one aggregation per query (stage \(offset + 1))", at: position)
        }
        guard explicitSort == nil, fields == nil, plan.limit == nil else {
          throw QueryError("aggregate first, then sort, limit or pick fields (stage \(offset + 1))", at: position)
        }
        if aggregation.span == 0 { aggregation.span = autoSpan(plan.range) }
        plan.aggregation = aggregation
      case .sort(let keys):
        explicitSort = keys
        sortPosition = position
      case .fields(let names):
        fields = names
        fieldsPosition = position
      case .limit(let count): plan.limit = count
      case .compare(let shift):
        guard let aggregation = plan.aggregation else {
          throw QueryError("compare follows an aggregation such as timechart or count", at: position)
        }
        guard aggregation.ranking == nil, !aggregation.coordinates else {
          throw QueryError("compare works with count, stats and timechart", at: position)
        }
        plan.compare = shift
      }
    }
    let available: [String]
    if let aggregation = plan.aggregation {
      var columns = SearchPlan.aggregateColumns(aggregation)
      if plan.compare != nil { columns += aggregation.metrics.map { SearchPlan.previousColumn($0.description) } }
      available = columns
      if let fields {
        for name in fields where !columns.contains(name) {
          throw QueryError(
            "'\(name)' is not a column of this aggregation (\(columns.joined(separator: ", ")))", at: fieldsPosition,
            suggestion: nearest(name, in: columns))
        }
      }
      plan.columns = fields ?? columns
      if let ranking = aggregation.ranking {
        if explicitSort == nil { explicitSort = [SortKey(Metric.count.description, descending: !ranking.ascending)] }
        if plan.limit == nil { plan.limit = ranking.count }
      }
    } else {
      available = FieldCatalog.fields.map(\.name) + [SearchPlan.sequenceColumn]
      for name in fields ?? [] where !available.contains(name) {
        throw QueryError(
          "unknown field '\(name)'", at: fieldsPosition, suggestion: QueryParser.nearestField(name))
      }
      plan.columns = fields ?? defaultFields
    }
    for key in explicitSort ?? [] where !available.contains(key.column) {
      throw QueryError(
        "cannot sort by '\(key.column)': not a column here", at: sortPosition,
        suggestion: nearest(key.column, in: available)
      )
    }
    plan.sort = Self.completeSort(explicitSort, aggregation: plan.aggregation)
    return plan
  }

  /// Adds tie-breakers so that every back end returns rows in the same order.
  static func completeSort(_ keys: [SortKey]?, aggregation: Aggregation?) -> [SortKey] {
    var keys = keys ?? []
    if let aggregation {
      if keys.isEmpty {
        if aggregation.span != nil {
          keys.append(SortKey(SearchPlan.timeColumn, descending: false))
        } else if aggregation.metrics.contains(.count) {
          keys.append(SortKey(Metric.count.description, descending: true))
        }
      }
      if aggregation.span != nil { keys.append(SortKey(SearchPlan.timeColumn, descending: false)) }
      keys += aggregation.groups.map { SortKey($0, descending: false) }
    } else {
      if keys.isEmpty { keys.append(SortKey(FieldCatalog.time.name, descending: true)) }
      keys.append(SortKey(SearchPlan.sequenceColumn, descending: true))
    }
    var seen: Set<String> = []
    return keys.filter { seen.insert($0.column).inserted }
  }

  /// Moves top-level conjuncts on the event time into the range (so that rollups and the time index
  /// apply); what cannot move stays in the filter.
  static func foldTime(_ filter: Filter) -> (Filter, TimeRange) {
    let conjuncts: [Filter]
    switch filter {
    case .and(let items): conjuncts = items
    default: conjuncts = [filter]
    }
    var range = TimeRange.all
    var kept: [Filter] = []
    for conjunct in conjuncts {
      if case .term(.field(let name), let predicate) = conjunct, name == FieldCatalog.time.name,
        let bound = Self.range(of: predicate)
      {
        range = range.intersection(bound)
      } else {
        kept.append(conjunct)
      }
    }
    let remaining: Filter = kept.isEmpty ? .all : kept.count == 1 ? kept[0] : .and(kept)
    return (remaining, range)
  }

  private static func range(of predicate: Predicate) -> TimeRange? {
    func value(_ literal: Literal) -> Int64? { if case .time(let value) = literal { value } else { nil } }
    switch predicate {
    case .equals(let literal): return value(literal).map { TimeRange(from: $0, to: $0 &+ 1) }
    case .compare(let comparison, let literal):
      guard let value = value(literal) else { return nil }
      switch comparison {
      case .greaterOrEqual: return TimeRange(from: value)
      case .greater: return TimeRange(from: value &+ 1)
      case .less: return TimeRange(to: value)
      case .lessOrEqual: return TimeRange(to: value &+ 1)
      }
    case .range(let lower, let lowerInclusive, let upper, let upperInclusive):
      guard let low = value(lower), let high = value(upper) else { return nil }
      return TimeRange(from: lowerInclusive ? low : low &+ 1, to: upperInclusive ? high &+ 1 : high)
    default: return nil
    }
  }

  /// About a hundred buckets over the range, in a round unit.
  func autoSpan(_ range: TimeRange) -> Int64 {
    guard let from = range.from else { return TimeExpression.day }
    let length = max(1, (range.to ?? now) &- from)
    let minute: Int64 = 60 * TimeExpression.second
    let steps: [Int64] = [
      minute, 5 * minute, 10 * minute, 15 * minute, 30 * minute, 60 * minute, 180 * minute, 360 * minute,
      720 * minute, TimeExpression.day, 7 * TimeExpression.day,
    ]
    return steps.first { length / $0 <= 120 } ?? 7 * TimeExpression.day
  }
}
