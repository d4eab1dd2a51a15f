import Logging
import PostgresNIO
import VigilCore
import VigilJSON

/// Writes ``RollupTotals`` to the rollup tables: one upsert per rollup, its rows passed as one JSON
/// array (`json_to_recordset`), so that absent dimensions travel as JSON nulls.
enum PostgresRollups {
  static func write(_ totals: RollupTotals, on connection: PostgresConnection, logger: Logger) async throws {
    for (index, rollup) in Rollup.all.enumerated() where !totals.totals[index].isEmpty {
      var json = JSONWriter(capacity: totals.totals[index].count * 96)
      json.beginArray()
      for (key, entry) in totals.totals[index] {
        json.beginObject()
        for (offset, field) in rollup.dimensions.enumerated() {
          json.field(field.column, key.dimensions[offset].map(\.withoutNUL))
        }
        json.key("bucket")
        json.int(Int(key.bucket))
        json.key("n")
        json.int(Int(entry.count))
        if rollup.keepsCoordinates {
          json.key("lat_sum")
          json.double(entry.latitude)
          json.key("lon_sum")
          json.double(entry.longitude)
          json.key("located")
          json.int(Int(entry.located))
        }
        json.endObject()
      }
      json.endArray()
      var binds = PostgresBindings()
      binds.append(String(decoding: json.bytes, as: UTF8.self))
      try await connection.execute(upsertSQL[index], binds, logger: logger)
    }
  }

  private static let upsertSQL: [String] = Rollup.all.map { rollup in
    let keys = RollupTotals.keyColumns(rollup)
    let measures = RollupTotals.measureColumns(rollup)
    let all = keys + measures
    let types = all.map { column -> String in
      switch column {
      case "bucket", "n", "located": "\(column) bigint"
      case "lat_sum", "lon_sum": "\(column) double precision"
      default: "\(column) text"
      }
    }
    return "INSERT INTO \(rollup.table) (\(all.joined(separator: ", "))) SELECT \(all.joined(separator: ", ")) "
      + "FROM json_to_recordset($1::json) AS r(\(types.joined(separator: ", "))) ON CONFLICT ("
      + keys.joined(separator: ", ") + ") DO UPDATE SET "
      + measures.map { "\($0) = \(rollup.table).\($0) + excluded.\($0)" }.joined(separator: ", ")
  }

  /// Drops buckets whose count fell to zero (after weights of -1).
  static func pruneEmpty(on connection: PostgresConnection, logger: Logger) async throws {
    for rollup in Rollup.all { try await connection.execute("DELETE FROM \(rollup.table) WHERE n = 0", logger: logger) }
  }

  /// Recounts the buckets of `stream` that start before `end` from the events left (after retention).
  static func rebuild(stream: String, before end: Int64, on connection: PostgresConnection, logger: Logger)
    async throws
  {
    let time = FieldCatalog.time.column
    let located = "\(FieldCatalog.latitude.column) IS NOT NULL AND \(FieldCatalog.longitude.column) IS NOT NULL"
    for rollup in Rollup.all {
      let bucketEnd = Rollup.ceil(end, rollup.granularity.nanoseconds)
      var binds = PostgresBindings()
      binds.append(stream)
      binds.append(bucketEnd)
      try await connection.execute(
        "DELETE FROM \(rollup.table) WHERE \(FieldCatalog.stream.column) = $1 AND bucket < $2", binds, logger: logger)
      let step = rollup.granularity.nanoseconds
      let bucket = "(\(time) - ((\(time) % \(step)) + \(step)) % \(step))"
      var select = rollup.leading.map(\.column) + [bucket] + rollup.trailing.map(\.column) + ["count(*)"]
      if rollup.keepsCoordinates {
        select += [
          "COALESCE(sum(CASE WHEN \(located) THEN \(FieldCatalog.latitude.column) END), 0)",
          "COALESCE(sum(CASE WHEN \(located) THEN \(FieldCatalog.longitude.column) END), 0)",
          "count(*) FILTER (WHERE \(located))",
        ]
      }
      let columns = RollupTotals.keyColumns(rollup) + RollupTotals.measureColumns(rollup)
      try await connection.execute(
        "INSERT INTO \(rollup.table) (\(columns.joined(separator: ", "))) SELECT \(select.joined(separator: ", ")) "
          + "FROM events WHERE \(FieldCatalog.stream.column) = $1 AND \(time) < $2 GROUP BY "
          + (1...RollupTotals.keyColumns(rollup).count).map(String.init).joined(separator: ", "),
        binds, logger: logger)
    }
  }
}
