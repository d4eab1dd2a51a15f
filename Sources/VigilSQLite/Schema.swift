import Foundation
import GRDB
import VigilCore

/// The store's tables, built from the field catalog. Each catalog field names the migration that
/// introduced its column, so adding a field adds a migration instead of changing an old one.
enum Schema {
  /// The newest migration this Vigil knows (2: search structures — IP bytes, rollups, fewer indexes;
  /// 4: the integer identity hash; 5: alerts; 6: the notification outbox; 7: the client and place
  /// rollups, an index of the events a threat feed listed, the stream and outcome in the time index, and
  /// each account's request budget; 8: sinks' quarantines and delivery states; 9: sinks' alert positions; 10: leases).
  static let version = max(10, FieldCatalog.fields.map(\.schemaVersion).max() ?? 1)

  static var migrator: DatabaseMigrator {
    var migrator = DatabaseMigrator()
    migrator.registerMigration("v1") { db in
      try db.execute(sql: createEvents(fields: FieldCatalog.fields.filter { $0.schemaVersion == 1 }))
      for statement in version1Indexes { try db.execute(sql: statement) }
      try db.execute(
        sql: """
          CREATE TABLE streams (
            account TEXT NOT NULL, stream TEXT NOT NULL, cursor TEXT, cursor_updated_at INTEGER,
            newest_event_time INTEGER, events_stored INTEGER NOT NULL DEFAULT 0,
            duplicates INTEGER NOT NULL DEFAULT 0, malformed INTEGER NOT NULL DEFAULT 0,
            last_success_at INTEGER, caught_up_at INTEGER, last_error_at INTEGER, last_error TEXT,
            failing INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (account, stream)
          ) WITHOUT ROWID;
          CREATE TABLE consumers (name TEXT PRIMARY KEY, sequence INTEGER NOT NULL, updated_at INTEGER NOT NULL);
          CREATE TABLE retention_runs (
            ran_at INTEGER NOT NULL, stream TEXT NOT NULL, cutoff INTEGER NOT NULL, deleted INTEGER NOT NULL,
            unprocessed INTEGER NOT NULL, forced INTEGER NOT NULL
          );
          """)
    }
    migrator.registerMigration("v2") { db in
      // Search: aggregations read rollups, so only selective fields keep an index on the events.
      for index in ["events_event_stream", "events_geo_country_code", "events_source_ip"] {
        try db.execute(sql: "DROP INDEX IF EXISTS \(index)")
      }
      try addFields(version: 2, db: db)
      db.add(function: ipBytesFunction)
      for field in FieldCatalog.fields where field.type == .ip && field.schemaVersion < 2 {
        try db.execute(sql: "ALTER TABLE events ADD COLUMN \(binaryColumn(field)) BLOB")
        try db.execute(sql: "UPDATE events SET \(binaryColumn(field)) = vigil_ip_bytes(\(field.column))")
      }
      for statement in indexes(fields: FieldCatalog.fields) { try db.execute(sql: statement) }
      try createRollups(introduced: 2, db: db)
    }
    for version in 3..<max(3, version + 1) {
      migrator.registerMigration("v\(version)") { db in
        try addFields(version: version, db: db)
        for statement in indexes(fields: FieldCatalog.fields.filter { $0.schemaVersion == version }) {
          try db.execute(sql: statement)
        }
        // 3: enrichment columns (from the catalog) and how each source last loaded.
        if version == 3 {
          try db.execute(
            sql: """
              CREATE TABLE enrichment_sources (
                name TEXT PRIMARY KEY, kind TEXT NOT NULL, location TEXT NOT NULL, entries INTEGER NOT NULL,
                skipped INTEGER NOT NULL, problems TEXT NOT NULL, loaded_at INTEGER, refreshed_at INTEGER,
                error TEXT, checked_at INTEGER NOT NULL
              ) WITHOUT ROWID
              """)
        }
        // 4: duplicates are found through a 64-bit hash of the identity instead of a text index.
        if version == 4 {
          let identity = EventIdentity.column
          db.add(function: EventIdentity.function)
          try db.execute(sql: "ALTER TABLE events ADD COLUMN \(identity) INTEGER")
          try db.execute(
            sql: """
              UPDATE events SET \(identity) = vigil_event_identity(\(FieldCatalog.account.column), \
              \(FieldCatalog.stream.column), \(FieldCatalog.uuid.column))
              """)
          try db.execute(sql: "CREATE INDEX events_\(identity) ON events (\(identity))")
          try db.execute(sql: "DROP INDEX events_identity")
        }
        // 5: detection's alerts and the detector's state (committed with its checkpoint).
        if version == 5 { try db.execute(sql: AlertTables.create) }
        // 6: the notification outbox, filled in the transactions that create and change alerts.
        if version == 6 { try db.execute(sql: NotificationTables.create) }
        // 7: dashboards' breakdowns by client and by place read rollups; threat panels read the few
        // events a feed listed through a partial index instead of scanning every event in range; the
        // health page reads each account's request budget.
        if version == 7 {
          try createRollups(introduced: 7, db: db)
          try db.execute(sql: threatIndex)
          try db.execute(sql: SQLiteEventStore.createRateTable)
          try db.execute(sql: "DROP INDEX IF EXISTS events_\(FieldCatalog.time.column)")
          try db.execute(sql: timeIndex)
        }
        // 8: what sinks' receivers refused for good, and how each sink's deliveries go.
        if version == 8 { try db.execute(sql: SQLiteEventStore.createSinkTables) }
        // 9: how far each sink has sent the alerts stream.
        if version == 9 {
          try db.execute(sql: "ALTER TABLE sinks ADD COLUMN alert_revision INTEGER NOT NULL DEFAULT 0")
        }
        // 10: leases, for several processes sharing the work.
        if version == 10 { try db.execute(sql: SQLiteEventStore.createLeaseTables) }
      }
    }
    return migrator
  }

  /// Creates the rollups a migration introduced and counts the events already stored into them.
  private static func createRollups(introduced version: Int, db: Database) throws {
    for rollup in Rollup.all where rollup.introduced == version {
      try db.execute(sql: createRollup(rollup))
      try db.execute(sql: RollupWriter.rebuildSQL(rollup, before: nil), arguments: [])
    }
  }

  /// The time index also carries the stream and the outcome: a listing such as `signin outcome:failure`
  /// walks the index newest first and tests both there, reading only the rows that match (a day of
  /// failures: 2 ms instead of 34) for about 20 more bytes per entry. The sequence comes second, as the
  /// row id does in a plain index, so that listings still read in (time, sequence) order without sorting.
  static let timeIndex =
    "CREATE INDEX events_\(FieldCatalog.time.column) ON events (\(FieldCatalog.time.column), sequence, "
    + "\(FieldCatalog.stream.column), \(FieldCatalog.outcome.column))"

  /// Events some threat feed listed are few: their own index keeps `threat.feed:*` searches from
  /// reading every event of the range.
  static let threatIndex =
    "CREATE INDEX events_threat_listed ON events (\(FieldCatalog.time.column)) WHERE \(FieldCatalog.threatFeed.column) IS NOT NULL"

  private static func addFields(version: Int, db: Database) throws {
    for field in FieldCatalog.fields where field.schemaVersion == version {
      try db.execute(sql: "ALTER TABLE events ADD COLUMN \(field.column) \(sqlType(field.type))")
      if field.type == .ip { try db.execute(sql: "ALTER TABLE events ADD COLUMN \(binaryColumn(field)) BLOB") }
    }
  }

  /// Columns of the events table in insertion order: the catalog's, the IP fields' bytes, the identity
  /// hash, the raw JSON.
  static let columns: [String] =
    FieldCatalog.fields.map(\.column) + ipFields.map(binaryColumn) + [EventIdentity.column, "raw"]

  static let ipFields = FieldCatalog.fields.filter { $0.type == .ip }

  /// Fields the raw JSON does not determine: read back from their columns (``Field/restore``).
  static let restoredFields = FieldCatalog.restoredFields

  /// A stored column value as the catalog type says.
  static func value(_ database: DatabaseValue, type: FieldType) -> FieldValue? {
    switch database.storage {
    case .null: nil
    case .int64(let integer): type == .time ? .time(FieldValue.timestamp(nanoseconds: integer)) : .integer(integer)
    case .double(let double): .double(double)
    case .string(let string): .string(string)
    case .blob: nil
    }
  }

  /// IP fields are also stored as 16 bytes (``IPAddress``): CIDR blocks become index ranges.
  static func binaryColumn(_ field: Field) -> String { field.column + "_bin" }

  static let ipBytesFunction = DatabaseFunction("vigil_ip_bytes", argumentCount: 1, pure: true) { values in
    guard let text = String.fromDatabaseValue(values[0]), let address = IPAddress(text) else { return nil }
    return Data(address.bytes)
  }

  static func createEvents(fields: [Field]) -> String {
    // AUTOINCREMENT: sequence numbers are never reused after retention deletes, so consumer
    // checkpoints stay meaningful.
    var columns = ["sequence INTEGER PRIMARY KEY AUTOINCREMENT"]
    for field in fields {
      let required = [
        FieldCatalog.account.name, FieldCatalog.stream.name, FieldCatalog.uuid.name, FieldCatalog.time.name,
      ]
      .contains(field.name)
      columns.append("\(field.column) \(sqlType(field.type))\(required ? " NOT NULL" : "")")
    }
    columns.append("raw BLOB NOT NULL")
    return "CREATE TABLE events (\n  " + columns.joined(separator: ",\n  ") + "\n)"
  }

  /// The indexes migration v1 made (it is history: later migrations change them, never v1).
  static let version1Indexes = [
    "CREATE UNIQUE INDEX events_identity ON events (event_account, event_stream, event_uuid)",
    "CREATE INDEX events_event_time ON events (event_time)",
    "CREATE INDEX events_event_stream ON events (event_stream, event_time)",
    "CREATE INDEX events_event_action ON events (event_action, event_time)",
    "CREATE INDEX events_user_email ON events (user_email, event_time)",
    "CREATE INDEX events_source_ip ON events (source_ip, event_time)",
    "CREATE INDEX events_geo_country_code ON events (geo_country_code, event_time)",
  ]

  /// Indexes for the catalog's indexed fields (`IF NOT EXISTS`: v1 made some of them).
  static func indexes(fields: [Field]) -> [String] {
    let time = FieldCatalog.time.column
    return fields.filter(\.indexed).map { field in
      if field.name == FieldCatalog.time.name { return "CREATE INDEX IF NOT EXISTS events_\(time) ON events (\(time))" }
      let column = field.type == .ip ? binaryColumn(field) : field.column
      return "CREATE INDEX IF NOT EXISTS events_\(column) ON events (\(column), \(time))"
    }
  }

  static func createRollup(_ rollup: Rollup) -> String {
    // Dimension columns have no declared type: an absent value is stored as the integer 0, which no
    // text equals, because a key column cannot be NULL.
    var columns = rollup.leading.map { "\($0.column) NOT NULL" } + ["bucket INTEGER NOT NULL"]
    columns += rollup.trailing.map { "\($0.column) NOT NULL" }
    columns.append("n INTEGER NOT NULL")
    if rollup.keepsCoordinates {
      columns += ["lat_sum REAL NOT NULL", "lon_sum REAL NOT NULL", "located INTEGER NOT NULL"]
    }
    columns.append("PRIMARY KEY (\(RollupWriter.keyColumns(rollup).joined(separator: ", ")))")
    return "CREATE TABLE \(rollup.table) (" + columns.joined(separator: ", ") + ") WITHOUT ROWID"
  }

  static func sqlType(_ type: FieldType) -> String {
    switch type {
    case .keyword, .text, .ip: "TEXT"
    case .integer, .time: "INTEGER"
    case .double: "REAL"
    }
  }
}
