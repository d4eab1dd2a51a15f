import EventsAPIModel
import Foundation
import GRDB
import VigilCore
import VigilQuery

extension SQLiteEventStore {
  package func recordSources(_ statuses: [SourceStatus]) async throws(StoreError) {
    try await write { db in
      try db.execute(sql: "DELETE FROM enrichment_sources")
      for status in statuses {
        try db.execute(
          sql: "INSERT OR REPLACE INTO enrichment_sources VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          arguments: [
            status.name, status.kind, status.location, status.entries, status.skipped,
            status.problems.joined(separator: "\n"), status.loadedAt.map(FieldValue.nanoseconds),
            status.refreshedAt.map(FieldValue.nanoseconds), status.error.map { String($0.prefix(2000)) },
            FieldValue.nanoseconds(status.checkedAt),
          ])
      }
    }
  }

  package func sourceStatuses() async throws(StoreError) -> [SourceStatus] {
    try await read { db in
      try Row.fetchAll(db, sql: "SELECT * FROM enrichment_sources ORDER BY name").map { row in
        func time(_ column: String) -> Timestamp? { (row[column] as Int64?).map(FieldValue.timestamp(nanoseconds:)) }
        var status = SourceStatus(
          name: row["name"], kind: row["kind"], location: row["location"],
          checkedAt: time("checked_at") ?? Timestamp(seconds: 0))
        status.entries = row["entries"]
        status.skipped = row["skipped"]
        let problems: String = row["problems"]
        status.problems = problems.isEmpty ? [] : problems.split(separator: "\n").map(String.init)
        status.loadedAt = time("loaded_at")
        status.refreshedAt = time("refreshed_at")
        status.error = row["error"]
        return status
      }
    }
  }

  /// Batches of events, each rewritten in its own transaction, so that collection can commit
  /// between them.
  static let rescanBatch = 2000

  package func reenrich(
    since: Timestamp, with enricher: any EventEnricher, progress: @escaping @Sendable (Int) -> Void
  ) async throws(StoreError) -> RescanReport {
    var report = RescanReport()
    var after: Int64 = 0
    let restored = Schema.restoredFields
    let update =
      "UPDATE events SET " + restored.map { "\($0.column) = ?" }.joined(separator: ", ") + " WHERE sequence = ?"
    let select = """
      SELECT sequence, \(FieldCatalog.account.column), \(FieldCatalog.stream.column), \(FieldCatalog.ingested.column), \
      raw, \(restored.map(\.column).joined(separator: ", ")) FROM events \
      WHERE sequence > ? AND \(FieldCatalog.time.column) >= ? ORDER BY sequence LIMIT ?
      """
    while true {
      let from = after
      let (batch, last) = try await write { db -> (RescanReport, Int64?) in
        var batch = RescanReport()
        var last: Int64?
        var rollups = RollupWriter()
        let rows = try Row.fetchAll(
          db, sql: select, arguments: [from, FieldValue.nanoseconds(since), Self.rescanBatch])
        for row in rows {
          last = row[0]
          batch.scanned += 1
          guard let stored = Self.event(row: row), let stream = EventStream(rawValue: row[2]) else { continue }
          guard
            var fresh = Normalizer.normalize(
              raw: stored.raw, account: stored.account, stream: stream, ingestedAt: stored.ingestedAt)
          else { continue }
          enricher.enrich(&fresh)
          let values = restored.map { $0.value(fresh) }
          let unchanged = zip(restored, values).enumerated().allSatisfy { offset, pair in
            Schema.value(row[5 + offset], type: pair.0.type) == pair.1
          }
          guard !unchanged else { continue }
          batch.changed += 1
          if stored.enrichment.threat == nil, fresh.enrichment.threat != nil { batch.newThreatMatches += 1 }
          var arguments = StatementArguments(values.map(Self.databaseValue))
          arguments += [row[0] as Int64]
          try db.execute(sql: update, arguments: arguments)
          if RollupWriter.differ(stored, fresh) {
            rollups.add(stored, weight: -1)
            rollups.add(fresh)
          }
        }
        try rollups.write(db)
        try RollupWriter.pruneEmpty(db)
        return (batch, last)
      }
      report.scanned += batch.scanned
      report.changed += batch.changed
      report.newThreatMatches += batch.newThreatMatches
      progress(report.scanned)
      guard let last, batch.scanned == Self.rescanBatch else { break }
      after = last
    }
    return report
  }

  static func databaseValue(_ value: FieldValue?) -> (any DatabaseValueConvertible)? {
    switch value {
    case nil: nil
    case .string(let text)?: text
    case .integer(let number)?: number
    case .double(let number)?: number
    case .time(let time)?: FieldValue.nanoseconds(time)
    }
  }
}

extension SQLiteEventStore {
  /// Every event a listing plan matches, in the plan's order, as whole events (with their stored
  /// enrichment), one at a time from the database cursor: exports run in constant memory. `each`
  /// returns false to stop.
  package func exportEvents(_ plan: SearchPlan, _ each: @escaping @Sendable (CanonicalEvent) throws -> Bool)
    async throws -> Int
  {
    let columns =
      ["sequence", FieldCatalog.account.column, FieldCatalog.stream.column, FieldCatalog.ingested.column, "raw"]
      + Schema.restoredFields.map(\.column)
    let statement = SearchSQL(dialect: .sqlite).listing(plan, selecting: columns)
    return try await pool.read { db in
      let rows = try Row.fetchCursor(db, sql: statement.sql, arguments: Self.arguments(statement.parameters))
      var count = 0
      while let row = try rows.next() {
        guard let event = Self.event(row: row) else { continue }
        count += 1
        guard try each(event) else { break }
      }
      return count
    }
  }
}
