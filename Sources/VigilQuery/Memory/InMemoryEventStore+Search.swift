import VigilCore

extension InMemoryEventStore: SearchBackend {
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
}
