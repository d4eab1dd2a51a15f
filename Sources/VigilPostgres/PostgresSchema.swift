import VigilCore
import VigilEventsAPIModel

/// The PostgreSQL store's tables, from the same field catalog as SQLite's.
///
/// Events are partitioned by stream, then by month of event time: retention drops a stream's whole
/// months instead of deleting rows. A unique index on a partitioned table must contain the partition
/// key, so "one row per (account, stream, uuid)" is kept by `event_keys`, one small row per event.
enum PostgresSchema {
  /// The newest schema this Vigil writes. Each step is a list of statements run once, in one
  /// transaction, under an advisory lock (several `vigil` processes may start at once).
  static let steps: [[String]] = [
    version1 + PostgresEventStore.alertTables + PostgresEventStore.sinkTables + PostgresEventStore.leaseTables
  ]

  static var version: Int { steps.count }

  /// Held shared by every ingest commit for its whole transaction and exclusively by retention, which
  /// drops partitions and rebuilds rollups (see ``PostgresEventStore/commit(_:)``).
  static let ingestLock: Int64 = 0x5649_4749_4c00_0001
  static let migrationLock: Int64 = 0x5649_4749_4c00_0002
  /// Held exclusively from drawing sequence numbers to commit, so that commit order is sequence order.
  static let sequenceLock: Int64 = 0x5649_4749_4c00_0004

  static let ipFields = FieldCatalog.fields.filter { $0.type == .ip }

  static func binaryColumn(_ field: Field) -> String { field.column + "_bin" }

  /// Columns of the events table in COPY order.
  static let columns: [String] =
    ["sequence"] + FieldCatalog.fields.map(\.column) + ipFields.map(binaryColumn) + ["raw"]

  static func sqlType(_ type: FieldType) -> String {
    switch type {
    case .keyword, .text, .ip: "text"
    case .integer, .time: "bigint"
    case .double: "double precision"
    }
  }

  private static var createEvents: String {
    let required = [
      FieldCatalog.account.name, FieldCatalog.stream.name, FieldCatalog.uuid.name, FieldCatalog.time.name,
    ]
    var columns = ["sequence bigint NOT NULL"]
    for field in FieldCatalog.fields {
      columns.append("\(field.column) \(sqlType(field.type))\(required.contains(field.name) ? " NOT NULL" : "")")
    }
    columns += ipFields.map { "\(binaryColumn($0)) bytea" }
    columns.append("raw bytea NOT NULL")
    return "CREATE TABLE events (" + columns.joined(separator: ", ") + ") PARTITION BY LIST ("
      + FieldCatalog.stream.column + ")"
  }

  /// One partition per stream, itself partitioned by month (``PostgresPartitions``).
  static func streamTable(_ stream: EventStream) -> String { "events_\(stream.rawValue)" }

  private static var indexes: [String] {
    let time = FieldCatalog.time.column
    var statements = [
      // Tailing (detection, sinks) reads by sequence.
      "CREATE INDEX events_sequence ON events (sequence)",
      // Listings walk time newest first and test the stream and outcome in the index.
      "CREATE INDEX events_\(time) ON events (\(time), sequence, \(FieldCatalog.stream.column), "
        + "\(FieldCatalog.outcome.column))",
      "CREATE INDEX events_threat_listed ON events (\(time)) WHERE \(FieldCatalog.threatFeed.column) IS NOT NULL",
    ]
    for field in FieldCatalog.fields where field.indexed && field.name != FieldCatalog.time.name {
      let column = field.type == .ip ? binaryColumn(field) : field.column
      statements.append("CREATE INDEX events_\(column) ON events (\(column), \(time))")
    }
    return statements
  }

  /// Rollup dimensions are text; an absent value is NULL, and `NULLS NOT DISTINCT` (PostgreSQL 15)
  /// makes it one key like any other.
  static func createRollup(_ rollup: Rollup) -> String {
    var columns = rollup.leading.map { "\($0.column) text" } + ["bucket bigint NOT NULL"]
    columns += rollup.trailing.map { "\($0.column) text" }
    columns.append("n bigint NOT NULL")
    if rollup.keepsCoordinates {
      columns += [
        "lat_sum double precision NOT NULL", "lon_sum double precision NOT NULL", "located bigint NOT NULL",
      ]
    }
    columns.append("UNIQUE NULLS NOT DISTINCT (\(RollupTotals.keyColumns(rollup).joined(separator: ", ")))")
    return "CREATE TABLE \(rollup.table) (" + columns.joined(separator: ", ") + ")"
  }

  private static var version1: [String] {
    var statements = ["CREATE SEQUENCE event_sequence", createEvents]
    for stream in EventStream.allCases {
      statements.append(
        "CREATE TABLE \(streamTable(stream)) PARTITION OF events FOR VALUES IN ('\(stream.rawValue)') "
          + "PARTITION BY RANGE (\(FieldCatalog.time.column))")
    }
    statements += indexes
    statements += [
      """
      CREATE TABLE event_keys (
        account text NOT NULL, stream text NOT NULL, uuid text NOT NULL, sequence bigint NOT NULL,
        event_time bigint NOT NULL, PRIMARY KEY (account, stream, uuid))
      """,
      "CREATE INDEX event_keys_time ON event_keys (stream, event_time)",
      """
      CREATE TABLE streams (
        account text NOT NULL, stream text NOT NULL, cursor text, cursor_updated_at bigint,
        newest_event_time bigint, events_stored bigint NOT NULL DEFAULT 0, duplicates bigint NOT NULL DEFAULT 0,
        malformed bigint NOT NULL DEFAULT 0, last_success_at bigint, caught_up_at bigint, last_error_at bigint,
        last_error text, failing boolean NOT NULL DEFAULT false, PRIMARY KEY (account, stream))
      """,
      "CREATE TABLE consumers (name text PRIMARY KEY, sequence bigint NOT NULL, updated_at bigint NOT NULL)",
      """
      CREATE TABLE retention_runs (
        ran_at bigint NOT NULL, stream text NOT NULL, cutoff bigint NOT NULL, deleted bigint NOT NULL,
        unprocessed bigint NOT NULL, forced boolean NOT NULL, partitions_dropped integer NOT NULL)
      """,
      """
      CREATE TABLE enrichment_sources (
        name text PRIMARY KEY, kind text NOT NULL, location text NOT NULL, entries bigint NOT NULL,
        skipped bigint NOT NULL, problems text NOT NULL, loaded_at bigint, refreshed_at bigint, error text,
        checked_at bigint NOT NULL)
      """,
      """
      CREATE TABLE rate_budgets (
        account text PRIMARY KEY, used_minute bigint NOT NULL, used_hour bigint NOT NULL,
        limit_minute bigint NOT NULL, limit_hour bigint NOT NULL, server_remaining bigint, held_until bigint,
        recorded_at bigint NOT NULL)
      """,
    ]
    statements += Rollup.all.map(createRollup)
    return statements
  }
}
