import Logging
import PostgresNIO
import VigilCore

extension PostgresEventStore {
  /// Brings the schema up to ``PostgresSchema/version`` in one transaction, under an advisory lock:
  /// a second process starting at the same moment waits, then finds the work done.
  func migrate() async throws(StoreError) {
    let logger = self.logger
    let location = settings.description
    try await transaction { connection in
      try await connection.execute("SELECT pg_advisory_xact_lock(\(PostgresSchema.migrationLock))", logger: logger)
      let exists = try await connection.rows("SELECT to_regclass('vigil_schema') IS NOT NULL", logger: logger)[0][0]
        .decode(Bool.self)
      var current = 0
      if exists {
        current = Int(
          try await connection.rows("SELECT COALESCE(max(version), 0) FROM vigil_schema", logger: logger)[0][0]
            .decode(Int32.self))
      } else {
        try await connection.execute(
          "CREATE TABLE vigil_schema (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())",
          logger: logger)
      }
      guard current <= PostgresSchema.version else {
        throw StoreError.newerSchema(path: location, found: current, supported: PostgresSchema.version)
      }
      for version in current..<PostgresSchema.version {
        logger.notice(
          "bringing the PostgreSQL schema up to date",
          metadata: ["from": .stringConvertible(version), "to": .stringConvertible(version + 1)])
        for statement in PostgresSchema.steps[version] { try await connection.execute(statement, logger: logger) }
        var binds = PostgresBindings()
        binds.append(Int32(version + 1))
        try await connection.execute("INSERT INTO vigil_schema (version) VALUES ($1)", binds, logger: logger)
      }
    }
  }
}
