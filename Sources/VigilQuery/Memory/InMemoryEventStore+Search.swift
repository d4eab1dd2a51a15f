import VigilCore

extension InMemoryEventStore: SearchStore {
  package func list(_ plan: SearchPlan, _ row: @escaping @Sendable (ResultRow) -> Bool) async throws(StoreError) {
    let result = MemorySearch.run(plan, over: events(after: 0, limit: .max))
    for values in result.rows where !row(values) { break }
  }

  package func aggregate(_ plan: SearchPlan, _ aggregation: Aggregation, range: TimeRange, ordered: Bool)
    async throws(StoreError) -> [ResultRow]
  {
    let selected = MemorySearch.select(events(after: 0, limit: .max), MemoryFilter(plan.filter), range)
    var rows = MemorySearch.aggregate(aggregation, selected)
    if ordered {
      RowOrder.apply(plan.sort, limit: plan.limit, to: &rows, names: SearchPlan.aggregateColumns(aggregation))
    }
    return rows
  }

  /// Events in time order (then sequence), newest first when the plan's first sort key says so.
  package func events(matching plan: SearchPlan, _ each: @escaping @Sendable (CanonicalEvent) throws -> Bool)
    async throws -> Int
  {
    let descending = plan.sort.first?.descending ?? false
    let selected = MemorySearch.select(events(after: 0, limit: .max), MemoryFilter(plan.filter), plan.range)
    let ordered = selected.sorted { left, right in
      let a = (left.event.time, left.sequence)
      let b = (right.event.time, right.sequence)
      return descending ? a > b : a < b
    }
    var count = 0
    for stored in ordered {
      count += 1
      guard try each(stored.event) else { break }
    }
    return count
  }

  package func explain(_ plan: SearchPlan) async throws(StoreError) -> [String] {
    ["in memory: every stored event is tested by the compiled filter (no SQL, no index)"]
  }
}
