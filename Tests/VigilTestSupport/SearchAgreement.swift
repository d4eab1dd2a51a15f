import Foundation
import Testing
import VigilBase
import VigilCore
import VigilEmulatorCore
import VigilEventsAPIModel
import VigilJSON
import VigilQuery

/// Events for search tests: twelve days of the emulator's organisation (with its attack scenarios),
/// plus events with the awkward values attackers and old API versions send.
package enum SearchSample {
  package static let now = SampleEvents.now

  package static let events: [CanonicalEvent] = {
    var events = SampleEvents.generate(users: 18, days: 12) { $0 == .itemUsages ? "beta" : "acme" }
    let odd = [
      #"{"uuid":"odd-1","timestamp":"2026-11-01T10:15:00.123456789Z","category":"success","type":"mfa_ok","target_user":{"uuid":"U1","name":"Zoë \"Z\" O'Brien","email":"ZOE@Example.com"},"client":{"app_name":"1Password; DROP TABLE events;--","ip_address":"2001:db8::7"},"location":{"country":"Deutschland","city":"Köln","latitude":50.9,"longitude":6.9}}"#,
      #"{"uuid":"odd-2","timestamp":"2026-11-01T10:15:00.123456789Z","category":"credentials_failed","type":"password_secret_bad","target_user":{"email":"100%_sure@example.com","name":"%_\\*?"},"client":{"ip_address":"not-an-ip"}}"#,
      #"{"uuid":"odd-3","timestamp":"2026-10-25T23:59:59.999999999Z","category":"firewall_failed","type":"continent_blocked","details":{"value":"Antarctica"},"client":{"ip_address":"10.255.255.255"},"location":{"country":"AQ"}}"#,
      #"{"uuid":"odd-4","timestamp":"2026-10-26T00:00:00Z","category":"something_new","type":"brand_new_type","target_user":{"email":"   "}}"#,
    ]
    for line in odd {
      if let event = Normalizer.normalize(
        raw: Array(line.utf8), account: "acme", stream: .signInAttempts, ingestedAt: now)
      {
        events.append(event)
      }
    }
    return events
  }()

  /// Commits the sample to `store` page by page, as the collector would.
  package static func fill(_ store: some IngestStore) async throws {
    var byKey: [StreamKey: [CanonicalEvent]] = [:]
    for event in events { byKey[StreamKey(account: event.account, stream: event.stream), default: []].append(event) }
    for (key, events) in byKey.sorted(by: { $0.key < $1.key }) {
      for start in stride(from: 0, to: events.count, by: 250) {
        let page = Array(events[start..<min(events.count, start + 250)])
        _ = try await store.commit(IngestBatch(key: key, events: page, cursor: "c\(start)", caughtUp: false, at: now))
      }
    }
  }
}

/// Results agree when the columns match and every value matches (floating sums up to rounding).
package func agree(_ a: SearchResult, _ b: SearchResult) -> Bool {
  guard a.columns == b.columns, a.rows.count == b.rows.count else { return false }
  for (left, right) in zip(a.rows, b.rows) {
    for (x, y) in zip(left, right) where x != y {
      guard case .double(let p)? = x, case .double(let q)? = y, abs(p - q) <= 1e-9 * max(1, abs(p), abs(q)) else {
        return false
      }
    }
  }
  return true
}

/// The SQL/in-memory agreement check, run against each SQL store: for a large randomized set of
/// queries over the sample, the store (events table and rollups) returns the rows the in-memory
/// evaluator does. Disagreements are recorded as test issues.
package enum SearchAgreement {
  package static func check(_ store: some SearchStore & VigilCore.EventLog, dialect: SQLDialect, queries: Int = 600)
    async throws
  {
    let stored = try await store.events(after: 0, limit: .max)
    try #require(stored.count == SearchSample.events.count)
    let times = stored.map { FieldValue.nanoseconds($0.event.time) }
    let first = try #require(times.min())
    let last = try #require(times.max())
    let now = FieldValue.nanoseconds(SearchSample.now)
    var generator = RandomQueries(events: SearchSample.events, random: SeededGenerator(seed: 20_261_121))
    var checked = 0
    var rollupPlans = 0
    var nonEmpty = 0
    for _ in 0..<queries {
      let text = generator.query()
      let range = generator.range(first: first, last: last)
      let plan: SearchPlan
      do {
        plan = try Search.plan(text, range: range, now: now)
      } catch {
        Issue.record("generated query does not plan: \(text)\n\(error)")
        continue
      }
      let statement =
        plan.aggregation.map { SearchSQL(dialect: dialect).aggregate(plan, $0, range: plan.range, ordered: true) }
        ?? SearchSQL(dialect: dialect).listing(plan)
      let sql: SearchResult
      do {
        sql = try await Search.run(plan, on: store)
      } catch {
        Issue.record("\(dialect) refused: \(text)\n\(error)\nstatement: \(statement.sql)")
        continue
      }
      let memory = MemorySearch.run(plan, over: stored)
      if !agree(sql, memory) {
        Issue.record(
          """
          disagreement on: \(text) over \(range)
          sql (\(sql.rows.count) rows): \(sql.rows.prefix(3))
          memory (\(memory.rows.count) rows): \(memory.rows.prefix(3))
          statement: \(statement.sql)
          parameters: \(statement.parameters)
          """)
      }
      checked += 1
      if !sql.rows.isEmpty, sql.rows != [[.integer(0)]] { nonEmpty += 1 }
      if plan.aggregation != nil, statement.sql.contains("rollup_") { rollupPlans += 1 }
    }
    #expect(checked == queries)
    // The set is only worth something if it exercises the rollups and mostly finds events.
    #expect(rollupPlans > queries / 6)
    #expect(nonEmpty > queries / 2)
  }
}
