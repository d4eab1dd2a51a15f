import GRDB
import GRDBSQLite
import VigilCore
import VigilEventsAPIModel

/// Keeps the rollups exact: each commit adds its new events' counts in the same transaction, and
/// retention rebuilds the buckets it touched from the events that remain.
struct RollupWriter {
  private var pending = RollupTotals()

  /// Counts an event into its buckets; a weight of -1 takes it out again (a rescan that changed it).
  mutating func add(_ event: CanonicalEvent, weight: Int64 = 1) { pending.add(event, weight: weight) }

  /// Adds what was accumulated to the rollup tables, binding each bucket's values straight to the
  /// prepared upsert (GRDB's argument arrays box every value: measurable at one row per event).
  func write(_ db: Database) throws {
    for (index, rollup) in Rollup.all.enumerated() where !pending.totals[index].isEmpty {
      let statement = try db.cachedStatement(sql: Self.upsertSQL[index]).sqliteStatement
      let leading = rollup.leading.count
      for (key, entry) in pending.totals[index] {
        sqlite3_reset(statement)
        var slot: Int32 = 1
        func bind(_ dimension: String?) {
          if let text = dimension {
            RowBinder.bind(text, to: statement, at: slot)
          } else {
            // An absent value is the integer 0 in a rollup key.
            sqlite3_bind_int64(statement, slot, 0)
          }
          slot += 1
        }
        for dimension in key.dimensions.prefix(leading) { bind(dimension) }
        sqlite3_bind_int64(statement, slot, key.bucket)
        slot += 1
        for dimension in key.dimensions.dropFirst(leading) { bind(dimension) }
        sqlite3_bind_int64(statement, slot, entry.count)
        slot += 1
        if rollup.keepsCoordinates {
          sqlite3_bind_double(statement, slot, entry.latitude)
          sqlite3_bind_double(statement, slot + 1, entry.longitude)
          sqlite3_bind_int64(statement, slot + 2, entry.located)
        }
        let code = sqlite3_step(statement)
        guard code == SQLITE_DONE else {
          let failure = RowBinder.failure(code, db.sqliteConnection)
          sqlite3_reset(statement)
          throw failure
        }
      }
      sqlite3_reset(statement)
    }
  }

  /// Drops buckets whose count fell to zero (after weights of -1).
  static func pruneEmpty(_ db: Database) throws {
    for rollup in Rollup.all { try db.execute(sql: "DELETE FROM \(rollup.table) WHERE n = 0") }
  }

  static func keyColumns(_ rollup: Rollup) -> [String] { RollupTotals.keyColumns(rollup) }

  static func measureColumns(_ rollup: Rollup) -> [String] { RollupTotals.measureColumns(rollup) }

  private static let upsertSQL: [String] = Rollup.all.map { rollup in
    let keys = keyColumns(rollup)
    let measures = measureColumns(rollup)
    let all = keys + measures
    return "INSERT INTO \(rollup.table) (\(all.joined(separator: ", "))) VALUES ("
      + Array(repeating: "?", count: all.count).joined(separator: ", ") + ") ON CONFLICT ("
      + keys.joined(separator: ", ") + ") DO UPDATE SET "
      + measures.map { "\($0) = \($0) + excluded.\($0)" }.joined(separator: ", ")
  }

  /// Recounts a rollup from the events table, for events before `before` (all when nil) of the stream
  /// bound as the first argument when `before` is set. The caller deletes the same buckets first.
  static func rebuildSQL(_ rollup: Rollup, before: Int64?) -> String {
    let time = FieldCatalog.time.column
    let step = rollup.granularity.nanoseconds
    let bucket = "(\(time) - ((\(time) % \(step)) + \(step)) % \(step))"
    let located = "\(FieldCatalog.latitude.column) IS NOT NULL AND \(FieldCatalog.longitude.column) IS NOT NULL"
    var select = rollup.leading.map { "COALESCE(\($0.column), 0)" } + [bucket]
    select += rollup.trailing.map { "COALESCE(\($0.column), 0)" }
    select.append("count(*)")
    if rollup.keepsCoordinates {
      select += [
        "total(CASE WHEN \(located) THEN \(FieldCatalog.latitude.column) END)",
        "total(CASE WHEN \(located) THEN \(FieldCatalog.longitude.column) END)",
        "sum(CASE WHEN \(located) THEN 1 ELSE 0 END)",
      ]
    }
    let columns = keyColumns(rollup) + measureColumns(rollup)
    var sql =
      "INSERT INTO \(rollup.table) (\(columns.joined(separator: ", "))) SELECT "
      + select.joined(separator: ", ") + " FROM events"
    if before != nil { sql += " WHERE \(FieldCatalog.stream.column) = ? AND \(time) < ?" }
    sql += " GROUP BY " + (1...keyColumns(rollup).count).map(String.init).joined(separator: ", ")
    return sql
  }

  /// After retention deleted a stream's events before `cutoff`: recount every bucket that starts
  /// before it from what is left (events kept for a slow consumer, the rest of the cutoff's bucket).
  static func rebuild(stream: EventStream, cutoff: Int64, db: Database) throws {
    for rollup in Rollup.all {
      let end = Rollup.ceil(cutoff, rollup.granularity.nanoseconds)
      try db.execute(
        sql: "DELETE FROM \(rollup.table) WHERE \(FieldCatalog.stream.column) = ? AND bucket < ?",
        arguments: [stream.rawValue, end])
      try db.execute(sql: rebuildSQL(rollup, before: end), arguments: [stream.rawValue, end])
    }
  }
}
