import Logging
import PostgresNIO
import VigilBase
import VigilCore
import VigilEventsAPIModel

extension PostgresEventStore: MaintenanceStore {
  /// Per stream: months wholly before the cutoff whose events every consumer has processed are
  /// dropped as tables; what is left before the cutoff and processed is deleted row by row. Runs under
  /// the ingest lock, so no commit makes a partition while one is dropped.
  package func applyRetention(_ policy: RetentionPolicy, now: Timestamp, force: Bool) async throws(StoreError)
    -> RetentionReport
  {
    let logger = self.logger
    return try await transaction { connection in
      try await connection.execute("SELECT pg_advisory_xact_lock(\(PostgresSchema.ingestLock))", logger: logger)
      let slowest = try await connection.rows(
        "SELECT name, sequence FROM consumers ORDER BY sequence LIMIT 1", logger: logger
      ).first.map { (name: try $0[0].decode(String.self), sequence: try $0[1].decode(Int64.self)) }
      let time = FieldCatalog.time.column
      let account = FieldCatalog.account.column
      var entries: [RetentionReport.Entry] = []
      for stream in EventStream.allCases {
        guard let cutoff = policy.cutoff(for: stream, now: now) else { continue }
        let cutoffValue = FieldValue.nanoseconds(cutoff)
        let table = PostgresSchema.streamTable(stream)
        var unprocessed = 0
        if let slowest {
          var binds = PostgresBindings()
          binds.append(cutoffValue)
          binds.append(slowest.sequence)
          unprocessed = Int(
            try await connection.rows(
              "SELECT count(*) FROM \(table) WHERE \(time) < $1 AND sequence > $2", binds, logger: logger
            )[0][0].decode(Int64.self))
        }
        let processed = force ? Int64.max : slowest?.sequence ?? Int64.max
        var binds = PostgresBindings()
        binds.append(cutoffValue)
        binds.append(processed)
        let perAccount = try await connection.rows(
          "SELECT \(account), count(*) FROM \(table) WHERE \(time) < $1 AND sequence <= $2 GROUP BY \(account)",
          binds, logger: logger
        ).map { (account: try $0[0].decode(String.self), count: try $0[1].decode(Int64.self)) }
        var dropped = 0
        for partition in try await Self.partitions(of: stream, on: connection, logger: logger)
        where partition.upperBound <= cutoffValue {
          var held = PostgresBindings()
          held.append(processed)
          let keeps = try await connection.rows(
            "SELECT EXISTS (SELECT 1 FROM \(partition.table) WHERE sequence > $1)", held, logger: logger
          )[0][0].decode(Bool.self)
          if !keeps {
            try await connection.execute("DROP TABLE \(partition.table)", logger: logger)
            dropped += 1
          }
        }
        try await connection.execute(
          "DELETE FROM \(table) WHERE \(time) < $1 AND sequence <= $2", binds, logger: logger)
        var keyBinds = PostgresBindings()
        keyBinds.append(stream.rawValue)
        keyBinds.append(cutoffValue)
        keyBinds.append(processed)
        try await connection.execute(
          "DELETE FROM event_keys WHERE stream = $1 AND event_time < $2 AND sequence <= $3", keyBinds, logger: logger)
        let deleted = Int(perAccount.reduce(0) { $0 + $1.count })
        if deleted > 0 {
          try await PostgresRollups.rebuild(
            stream: stream.rawValue, before: cutoffValue, on: connection, logger: logger)
        }
        for row in perAccount {
          var update = PostgresBindings()
          update.append(row.count)
          update.append(row.account)
          update.append(stream.rawValue)
          try await connection.execute(
            "UPDATE streams SET events_stored = greatest(0, events_stored - $1) WHERE account = $2 AND stream = $3",
            update, logger: logger)
        }
        var run = PostgresBindings()
        run.append(FieldValue.nanoseconds(now))
        run.append(stream.rawValue)
        run.append(cutoffValue)
        run.append(Int64(deleted))
        run.append(Int64(unprocessed))
        run.append(force)
        run.append(Int32(dropped))
        try await connection.execute(
          "INSERT INTO retention_runs VALUES ($1, $2, $3, $4, $5, $6, $7)", run, logger: logger)
        entries.append(
          .init(stream: stream, cutoff: cutoff, deleted: deleted, unprocessed: unprocessed, forced: force))
      }
      return RetentionReport(entries: entries, slowestConsumer: slowest?.name)
    }
  }

  /// The month tables a stream has now, oldest first.
  package func monthTables(_ stream: EventStream) async throws(StoreError) -> [String] {
    let logger = self.logger
    return try await transaction { connection in
      try await Self.partitions(of: stream, on: connection, logger: logger).sorted { $0.month < $1.month }.map(\.table)
    }
  }

  /// The month partitions a stream has now.
  static func partitions(of stream: EventStream, on connection: PostgresConnection, logger: Logger) async throws
    -> [MonthPartition]
  {
    var binds = PostgresBindings()
    binds.append(PostgresSchema.streamTable(stream))
    return try await connection.rows(
      """
      SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = to_regclass($1) ORDER BY c.relname
      """, binds, logger: logger
    ).compactMap { MonthPartition(stream: stream, table: try $0[0].decode(String.self)) }
  }

  package func scan(since: Timestamp, after sequence: Int64, limit: Int) async throws(StoreError) -> [StoredEvent] {
    var bind = Binder()
    let rows = try await rows(
      """
      SELECT \(Self.eventColumns.joined(separator: ", ")) FROM events WHERE sequence > \(bind(sequence)) \
      AND \(FieldCatalog.time.column) >= \(bind(FieldValue.nanoseconds(since))) ORDER BY sequence \
      LIMIT \(bind(Int64(max(0, limit))))
      """, bind.binds)
    return rows.compactMap(Self.storedEvent(row:))
  }

  package func updateEnrichment(_ changes: [EnrichmentChange]) async throws(StoreError) {
    let logger = self.logger
    let restored = FieldCatalog.restoredFields
    try await transaction { connection in
      var totals = RollupTotals()
      for change in changes {
        var bind = Binder()
        var assignments: [String] = []
        for field in restored {
          assignments.append("\(field.column) = \(Self.bind(field.value(change.new), type: field.type, &bind))")
        }
        let sql =
          "UPDATE events SET \(assignments.joined(separator: ", ")) WHERE sequence = \(bind(change.sequence)) "
          + "AND \(FieldCatalog.stream.column) = \(bind(change.old.stream.rawValue)) "
          + "AND \(FieldCatalog.time.column) = \(bind(FieldValue.nanoseconds(change.old.time)))"
        try await connection.execute(sql, bind.binds, logger: logger)
        if RollupTotals.differ(change.old, change.new) {
          totals.add(change.old, weight: -1)
          totals.add(change.new)
        }
      }
      try await PostgresRollups.write(totals, on: connection, logger: logger)
      try await PostgresRollups.pruneEmpty(on: connection, logger: logger)
    }
  }

  /// A value bound with its column's type (a NULL too: PostgreSQL will not turn a text NULL into a number).
  static func bind(_ value: FieldValue?, type: FieldType, _ bind: inout Binder) -> String {
    switch value {
    case nil:
      switch type {
      case .integer, .time: bind(Int64?.none)
      case .double: bind(Double?.none)
      case .keyword, .text, .ip: bind(String?.none)
      }
    case .string(let text)?: bind(text.withoutNUL)
    case .integer(let number)?: bind(number)
    case .double(let number)?: bind(number)
    case .time(let time)?: bind(FieldValue.nanoseconds(time))
    }
  }
}
