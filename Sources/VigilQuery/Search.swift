import Synchronization
import VigilCore

/// A store that can run search plans: SQLite, PostgreSQL, memory.
package protocol SearchBackend: Sendable {
  /// Runs a listing, handing each row (the plan's columns) to `row` as it is read; `row` returns
  /// false to stop early.
  func list(_ plan: SearchPlan, _ row: @escaping @Sendable (ResultRow) -> Bool) async throws(StoreError)

  /// Runs an aggregation over `range`, rows in ``SearchPlan/aggregateColumns(_:)`` order; sorted and
  /// limited as the plan says when `ordered`.
  func aggregate(_ plan: SearchPlan, _ aggregation: Aggregation, range: TimeRange, ordered: Bool)
    async throws(StoreError) -> [ResultRow]
}

/// Search as a store role: plans, whole events for exports, and how the store would run a plan.
package protocol SearchStore: SearchBackend {
  /// Every event a listing plan matches, in the plan's order, as whole events (with their stored
  /// enrichment), handed over one at a time as they are read: exports run in constant memory. `each`
  /// returns false to stop. Returns how many events were handed over.
  func events(matching plan: SearchPlan, _ each: @escaping @Sendable (CanonicalEvent) throws -> Bool)
    async throws -> Int

  /// How the store would run `plan`: its statement, bound values and the engine's plan, one line each.
  func explain(_ plan: SearchPlan) async throws(StoreError) -> [String]
}

/// Why a search did not run.
package enum SearchError: Error, CustomStringConvertible {
  case query(QueryError, text: String)
  case store(StoreError)

  package var description: String {
    switch self {
    case .query(let error, let text): error.rendered(in: text)
    case .store(let error): error.description
    }
  }
}

/// The library entry point every interface uses (`vigil search`, `GET /api/search`, dashboards):
/// text in, plan, rows out.
package enum Search {
  /// Parses and plans a query. `range` comes from `--from/--to/--last` (or the dashboard's picker).
  package static func plan(
    _ text: String, range: TimeRange = .all, now: Int64, defaultFields: [String] = Planner.summaryFields
  ) throws(SearchError) -> SearchPlan {
    do {
      let query = try QueryParser.parse(text, now: now)
      var plan = try Planner(now: now, defaultFields: defaultFields).plan(query, range: range)
      if let hint = stageHint(text) { plan.hints.append(hint) }
      return plan
    } catch {
      throw .query(error, text: text)
    }
  }

  /// A query without a pipe whose first word names a stage (`count by stream`) searches those words as
  /// free text, which is rarely what was meant: says so, and shows the pipe form.
  package static func stageHint(_ text: String) -> String? {
    let trimmed = text.trimmingPrefix(while: { $0 == " " || $0 == "\t" })
    guard !trimmed.contains("|"), let first = trimmed.split(whereSeparator: { $0 == " " || $0 == "(" }).first,
      StageParser.names.contains(first.lowercased())
    else { return nil }
    return "'\(trimmed)' was searched as free text (events containing these words); "
      + "to run the \(first.lowercased()) stage over all events, write '| \(trimmed)'"
  }

  /// Runs a plan to completion.
  package static func run(_ plan: SearchPlan, on backend: some SearchBackend) async throws(SearchError)
    -> SearchResult
  {
    do {
      guard let aggregation = plan.aggregation else {
        let collected = RowCollector()
        try await backend.list(plan) { row in
          collected.append(row)
          return true
        }
        return SearchResult(columns: plan.resultColumns, rows: collected.rows)
      }
      let finisher = AggregateFinisher(plan: plan, aggregation: aggregation)
      guard let shift = plan.compare else {
        let rows = try await backend.aggregate(plan, aggregation, range: plan.range, ordered: true)
        return finisher.finish(rows, previous: nil, sortedAndLimited: true)
      }
      let rows = try await backend.aggregate(plan, aggregation, range: plan.range, ordered: false)
      let previous = try await backend.aggregate(
        plan, aggregation, range: plan.range.shifted(by: shift), ordered: false)
      return finisher.finish(rows, previous: previous, sortedAndLimited: false)
    } catch {
      throw .store(error)
    }
  }
}

/// Gathers streamed rows (a listing run to completion).
final class RowCollector: Sendable {
  private let storage = Mutex<[ResultRow]>([])

  func append(_ row: ResultRow) { storage.withLock { $0.append(row) } }
  var rows: [ResultRow] { storage.withLock { $0 } }
}
