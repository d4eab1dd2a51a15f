import GRDB
import VigilCore

/// The store's tables, built from the field catalog. Each catalog field names the migration that
/// introduced its column, so adding a field adds a migration instead of changing an old one.
enum Schema {
  /// The newest migration this Vigil knows.
  static let version = FieldCatalog.fields.map(\.schemaVersion).max() ?? 1

  static var migrator: DatabaseMigrator {
    var migrator = DatabaseMigrator()
    migrator.registerMigration("v1") { db in
      try db.execute(sql: createEvents(fields: FieldCatalog.fields.filter { $0.schemaVersion == 1 }))
      for statement in indexes(fields: FieldCatalog.fields.filter { $0.schemaVersion == 1 }) {
        try db.execute(sql: statement)
      }
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
    for version in 2..<max(2, version + 1) {
      let added = FieldCatalog.fields.filter { $0.schemaVersion == version }
      migrator.registerMigration("v\(version)") { db in
        for field in added {
          try db.execute(sql: "ALTER TABLE events ADD COLUMN \(field.column) \(sqlType(field.type))")
        }
        for statement in indexes(fields: added) { try db.execute(sql: statement) }
      }
    }
    return migrator
  }

  /// Columns of the events table in insertion order: the catalog's, then the raw JSON.
  static let columns: [String] = FieldCatalog.fields.map(\.column) + ["raw"]

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

  static func indexes(fields: [Field]) -> [String] {
    var statements: [String] = []
    let time = FieldCatalog.time.column
    if fields.contains(where: { $0.name == FieldCatalog.uuid.name }) {
      statements.append(
        "CREATE UNIQUE INDEX events_identity ON events (\(FieldCatalog.account.column), "
          + "\(FieldCatalog.stream.column), \(FieldCatalog.uuid.column))")
    }
    for field in fields where field.indexed {
      statements.append(
        field.name == FieldCatalog.time.name
          ? "CREATE INDEX events_\(time) ON events (\(time))"
          : "CREATE INDEX events_\(field.column) ON events (\(field.column), \(time))")
    }
    return statements
  }

  static func sqlType(_ type: FieldType) -> String {
    switch type {
    case .keyword, .text, .ip: "TEXT"
    case .integer, .time: "INTEGER"
    case .double: "REAL"
    }
  }
}
