import Foundation
import GRDB
import Testing
import VigilBase
import VigilCore
import VigilEventsAPIModel
import VigilQuery
import VigilTestSupport

@testable import VigilSQLite

/// What the SQLite search must get right beyond agreeing with the in-memory evaluator: rollups that
/// stay exact through retention and migration, index use, streaming.
@Suite struct SearchStoreTests {
  let now = FieldValue.nanoseconds(SearchSample.now)

  func run(_ text: String, _ store: some SearchBackend, range: TimeRange = .all) async throws -> SearchResult {
    try await Search.run(try Search.plan(text, range: range, now: now), on: store)
  }

  func reference(_ text: String, _ events: [StoredEvent], range: TimeRange = .all) throws -> SearchResult {
    MemorySearch.run(try Search.plan(text, range: range, now: now), over: events)
  }

  static let rollupQueries = [
    "| count by stream", "signin | timechart span=1h count by outcome", "| timechart span=1d count by action",
    "signin outcome:failure | top 10 user", "| geo", "audit | rare 5 action", "| dc(user) by stream",
    "itemusage | count by client.app", "-user.type:scim | top 3 client.os", "signin | top 5 geo.city",
    "signin | geo by geo.city", "| count by source.as.organization", "outcome:failure | count by geo.region",
    "audit | count by target.type", "audit target.type:(sa OR satoken) | count by event.action, target.type",
  ]

  @Test func retentionKeepsTheRollupsExact() async throws {
    let directory = try TemporaryDirectory()
    let store = try await SearchSample.store(in: directory)
    // A consumer that has processed half the log holds back the rest of the expired events.
    let newest = try await store.newestSequence()
    try await store.saveCheckpoint("rules", sequence: newest / 2, at: SearchSample.now)
    let cutoffDays = 6
    let report = try await store.applyRetention(
      RetentionPolicy(days: cutoffDays), now: SearchSample.now.adding(seconds: 0), force: false)
    #expect(report.entries.contains { $0.deleted > 0 && $0.unprocessed > 0 })
    let remaining = try await store.events(after: 0, limit: .max)
    #expect(remaining.count < SearchSample.events.count)
    for query in Self.rollupQueries {
      #expect(agree(try await run(query, store), try reference(query, remaining)), "after retention: \(query)")
    }
  }

  @Test func aVersion1DatabaseIsMigratedWithItsRollupsFilled() async throws {
    let directory = try TemporaryDirectory()
    let path = directory.path + "/vigil.db"
    let queue = try DatabaseQueue(path: path)
    try Schema.migrator.migrate(queue, upTo: "v1")
    let v1Fields = FieldCatalog.fields.filter { $0.schemaVersion == 1 }
    let columns = v1Fields.map(\.column) + ["raw"]
    try await queue.write { db in
      let insert = try db.makeStatement(
        sql: "INSERT INTO events (\(columns.joined(separator: ", "))) VALUES ("
          + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")")
      for event in SearchSample.events {
        var values: [(any DatabaseValueConvertible)?] = v1Fields.map { field in
          switch field.value(event) {
          case .string(let text)?: text
          case .integer(let number)?: number
          case .double(let number)?: number
          case .time(let time)?: FieldValue.nanoseconds(time)
          case nil: nil
          }
        }
        values.append(Data(event.raw))
        try insert.execute(arguments: StatementArguments(values))
      }
    }
    try queue.close()
    var upgrades: [[Int]] = []
    let store = try SQLiteEventStore(path: path) { from, to in upgrades.append([from, to]) }
    #expect(upgrades == [[1, Schema.version]])
    // Up to date: opening again says nothing.
    _ = try SQLiteEventStore(path: path) { from, to in upgrades.append([from, to]) }
    #expect(upgrades.count == 1)
    let stored = try await store.events(after: 0, limit: .max)
    for query in Self.rollupQueries + ["ip:10.0.0.0/8 | count", "source.ip:2001:db8::/32"] {
      #expect(agree(try await run(query, store), try reference(query, stored)), "after migration: \(query)")
    }
  }

  @Test func aggregationsReadRollupsAndSelectiveFiltersUseIndexes() async throws {
    let directory = try TemporaryDirectory()
    let store = try await SearchSample.store(in: directory)
    let sql = SearchSQL(dialect: .sqlite)
    let month = TimeRange(from: now - 30 * TimeExpression.day + 12_345, to: now)
    func planFor(_ text: String, _ range: TimeRange = .all) throws -> SearchPlan {
      try Search.plan(text, range: range, now: now)
    }
    let overview = try planFor("signin | count by action", month)
    let overviewPlan = try await store.explain(
      sql.aggregate(overview, try #require(overview.aggregation), range: overview.range, ordered: true))
    #expect(overviewPlan.contains { $0.contains("rollup_activity_day") })
    #expect(overviewPlan.contains { $0.contains("rollup_activity_hour") })
    let failures = try planFor("signin outcome:failure | top 10 user", month)
    let failuresPlan = try await store.explain(
      sql.aggregate(failures, try #require(failures.aggregation), range: failures.range, ordered: true))
    #expect(failuresPlan.contains { $0.contains("rollup_users_day") && $0.contains("PRIMARY KEY") })
    for (query, table) in [
      ("itemusage | count by client.app", "rollup_clients_day"), ("signin | geo by geo.city", "rollup_places_day"),
      ("| top 15 source.as.organization", "rollup_places_day"),
      ("audit target.type:group | count by event.action", "rollup_targets_day"),
      ("threat.feed:* | count by threat.category", "events_threat_listed"),
    ] {
      let plan = try planFor(query, month)
      let steps = try await store.explain(
        sql.aggregate(plan, try #require(plan.aggregation), range: plan.range, ordered: true))
      #expect(steps.contains { $0.contains(table) }, "\(query): \(steps)")
    }
    // The time index carries the stream and outcome, so that their listings test them in the index.
    let columns = try await store.read { db in
      try String.fetchAll(db, sql: "SELECT name FROM pragma_index_info('events_event_time') ORDER BY seqno")
    }
    #expect(columns == ["event_time", "sequence", "event_stream", "event_outcome"])
    // Equality reads the index in time order; a network is a range of the index, sorted afterwards.
    for (query, index, inOrder) in [
      ("user:someone@example.com", "events_user_email", true), ("ip:10.1.0.0/16", "events_source_ip_bin", false),
      ("ip:10.1.2.3", "events_source_ip_bin", true), ("action:item.delete", "events_event_action", true),
      ("", "events_event_time", true), ("signin outcome:failure", "events_event_time", true),
    ] {
      let plan = try await store.explain(sql.listing(try planFor(query + " | limit 50")))
      #expect(plan.contains { $0.contains(index) }, "\(query): \(plan)")
      if inOrder {
        #expect(!plan.contains { $0.contains("TEMP B-TREE") }, "\(query) sorts instead of reading in order: \(plan)")
      }
    }
  }

  @Test func listingsStreamAndStopWhenAsked() async throws {
    let directory = try TemporaryDirectory()
    let store = try await SearchSample.store(in: directory)
    let plan = try Search.plan("itemusage", now: now)
    let seen = Counter()
    try await store.list(plan) { _ in seen.increment() < 25 }
    #expect(seen.value == 25)
    let all = try await Search.run(plan, on: store)
    #expect(all.rows.count == SearchSample.events.filter { $0.stream == .itemUsages }.count)
  }
}

final class Counter: @unchecked Sendable {
  private var count = 0
  private let lock = NSLock()

  /// Adds one; returns the new count.
  func increment() -> Int {
    lock.withLock {
      count += 1; return count
    }
  }
  var value: Int { lock.withLock { count } }
}
