import Foundation
import GRDB
import VigilBase
import VigilCore
import VigilEventsAPIModel
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

  /// The columns ``event(row:)`` reads: identity, the raw JSON and the restored fields.
  static let eventColumns =
    ["sequence", FieldCatalog.account.column, FieldCatalog.stream.column, FieldCatalog.ingested.column, "raw"]
    + Schema.restoredFields.map(\.column)

  package func scan(since: Timestamp, after sequence: Int64, limit: Int) async throws(StoreError) -> [StoredEvent] {
    let select = """
      SELECT \(Self.eventColumns.joined(separator: ", ")) FROM events \
      WHERE sequence > ? AND \(FieldCatalog.time.column) >= ? ORDER BY sequence LIMIT ?
      """
    return try await read { db in
      try Row.fetchAll(db, sql: select, arguments: [sequence, FieldValue.nanoseconds(since), limit]).compactMap { row in
        Self.event(row: row).map { StoredEvent(sequence: row["sequence"], event: $0) }
      }
    }
  }

  package func updateEnrichment(_ changes: [EnrichmentChange]) async throws(StoreError) {
    let restored = Schema.restoredFields
    let update =
      "UPDATE events SET " + restored.map { "\($0.column) = ?" }.joined(separator: ", ") + " WHERE sequence = ?"
    try await write { db in
      var rollups = RollupWriter()
      for change in changes {
        var arguments = StatementArguments(restored.map { Self.databaseValue($0.value(change.new)) })
        arguments += [change.sequence]
        try db.execute(sql: update, arguments: arguments)
        if RollupTotals.differ(change.old, change.new) {
          rollups.add(change.old, weight: -1)
          rollups.add(change.new)
        }
      }
      try rollups.write(db)
      try RollupWriter.pruneEmpty(db)
    }
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
  package func events(matching plan: SearchPlan, _ each: @escaping @Sendable (CanonicalEvent) throws -> Bool)
    async throws -> Int
  {
    let statement = SearchSQL(dialect: .sqlite).listing(plan, selecting: Self.eventColumns)
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
