import VigilCore

extension InMemoryEventStore: SearchBackend {
  package func list(_ plan: SearchPlan, _ row: @escaping @Sendable (ResultRow) -> Bool) async throws(StoreError) {
    let result = MemorySearch.run(plan, over: events(after: 0, limit: .max))
    for values in result.rows where !row(values) { break }
  }

  package func aggregate(_ plan: SearchPlan, _ aggregation: Aggregation, range: TimeRange, ordered: Bool)
    async throws(StoreError) -> [ResultRow]
  {
    let filter = MemoryFilter(plan.filter)
    let selected = events(after: 0, limit: .max).filter {
      range.contains(FieldValue.nanoseconds($0.event.time)) && filter.matches($0.event)
    }
    var rows = MemorySearch.aggregate(aggregation, selected)
    if ordered {
      let names = SearchPlan.aggregateColumns(aggregation)
      let keys = plan.sort.compactMap { key in
        names.firstIndex(of: key.column).map { (index: $0, descending: key.descending) }
      }
      RowOrder.sort(&rows, by: keys)
      if let limit = plan.limit { rows = Array(rows.prefix(limit)) }
    }
    return rows
  }
}
