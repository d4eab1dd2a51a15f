import Foundation
import GRDB
import VigilBase
import VigilCore
import VigilEventsAPIModel

/// The embedded default store: one SQLite file in WAL mode, written by one connection at a time and
/// read concurrently. See ``EventStore`` for the contract.
package final class SQLiteEventStore: IngestStore, EventLog, CheckpointStore, MaintenanceStore, SourceStatusStore {
  package let path: String
  let pool: DatabasePool

  /// Opens (creating if needed) the database at `path` and brings its schema up to date.
  /// - Parameter maximumPages: caps the file's size in pages (tests of a full disk).
  /// - Parameter upgrading: told (from, to) before an existing database's schema is brought up to date,
  ///   which can take minutes on a large store (new rollups are counted from every stored event).
  package init(
    path: String, busyTimeout: Double = 5, maximumPages: Int? = nil,
    upgrading: (_ from: Int, _ to: Int) -> Void = { _, _ in }
  ) throws(StoreError) {
    self.path = path
    var configuration = Configuration()
    configuration.busyMode = .timeout(busyTimeout)
    configuration.label = "vigil.store"
    configuration.prepareDatabase { db in
      try db.execute(sql: Self.connectionPragmas)
      if let maximumPages { try db.execute(sql: "PRAGMA max_page_count = \(maximumPages)") }
    }
    do {
      pool = try DatabasePool(path: path, configuration: configuration)
      let migrator = Schema.migrator
      if try pool.read({ try migrator.hasBeenSuperseded($0) }) {
        let applied = try pool.read { try migrator.appliedIdentifiers($0) }
        let newest = applied.compactMap { Int($0.dropFirst()) }.max() ?? 0
        throw StoreError.newerSchema(path: path, found: newest, supported: Schema.version)
      }
      if try pool.read({ try !migrator.hasCompletedMigrations($0) }) {
        let applied = try pool.read { try migrator.appliedIdentifiers($0) }
        if let current = applied.compactMap({ Int($0.dropFirst()) }).max() { upgrading(current, Schema.version) }
      }
      try migrator.migrate(pool)
    } catch let error as StoreError {
      throw error
    } catch {
      throw Self.storeError(error, path: path)
    }
  }

  /// Every connection's settings (the ingest benchmark's bare-insert baseline uses the same):
  /// no fsync per commit in WAL mode (a crash loses no committed transaction, a power cut at most the
  /// last ones, which the collector reads again), a 32 MiB page cache so that index pages stay in
  /// memory on large stores, and fewer, larger checkpoints.
  package static let connectionPragmas =
    "PRAGMA synchronous = NORMAL; PRAGMA cache_size = -32768; PRAGMA wal_autocheckpoint = 4000; PRAGMA temp_store = MEMORY"

  package func close() throws(StoreError) {
    do { try pool.close() } catch { throw Self.storeError(error, path: path) }
  }

  // MARK: - Writing

  package func commit(_ batch: IngestBatch) async throws(StoreError) -> CommitResult {
    try await write { db in
      try Self.checkClaim(batch.claim, db: db)
      let insert = try db.cachedStatement(sql: Self.insertSQL)
      let exists = try db.cachedStatement(sql: RowBinder.existsSQL)
      var result = CommitResult(inserted: 0, duplicates: 0)
      var newest: Timestamp?
      var rollups = RollupWriter()
      // By index: `for event in` would copy each event (forty reference-counted strings) per row.
      for index in batch.events.indices {
        if try RowBinder.insert(
          batch.events[index], with: insert.sqliteStatement, exists: exists.sqliteStatement,
          connection: db.sqliteConnection)
        {
          result.inserted += 1
          rollups.add(batch.events[index])
          let time = batch.events[index].time
          if newest.map({ time > $0 }) ?? true { newest = time }
        } else {
          result.duplicates += 1
        }
      }
      try rollups.write(db)
      var state = try Self.state(batch.key, db: db) ?? StreamState(key: batch.key)
      if let newest, state.newestEventTime.map({ newest > $0 }) ?? true { state.newestEventTime = newest }
      state.apply(batch, result: result)
      try Self.save(state, db: db)
      return result
    }
  }

  package func recordError(_ key: StreamKey, message: String, at time: Timestamp) async throws(StoreError) {
    try await write { db in
      var state = try Self.state(key, db: db) ?? StreamState(key: key)
      state.lastError = String(message.prefix(2000))
      state.lastErrorAt = time
      state.isFailing = true
      try Self.save(state, db: db)
    }
  }

  package func saveCheckpoint(_ consumer: String, sequence: Int64, at time: Timestamp, fence: LeaseClaim?)
    async throws(StoreError)
  {
    try await write { db in
      try Self.checkClaim(fence, db: db)
      try db.execute(
        sql: """
          INSERT INTO consumers (name, sequence, updated_at) VALUES (?, ?, ?)
          ON CONFLICT (name) DO UPDATE SET sequence = excluded.sequence, updated_at = excluded.updated_at
          """, arguments: [consumer, sequence, FieldValue.nanoseconds(time)])
    }
  }

  package func applyRetention(_ policy: RetentionPolicy, now: Timestamp, force: Bool) async throws(StoreError)
    -> RetentionReport
  {
    try await write { db in
      let slowest = try Row.fetchOne(db, sql: "SELECT name, sequence FROM consumers ORDER BY sequence LIMIT 1")
        .map { (name: $0["name"] as String, sequence: $0["sequence"] as Int64) }
      let time = FieldCatalog.time.column
      let stream = FieldCatalog.stream.column
      let account = FieldCatalog.account.column
      var entries: [RetentionReport.Entry] = []
      for eventStream in EventStream.allCases {
        guard let cutoff = policy.cutoff(for: eventStream, now: now) else { continue }
        let cutoffValue = FieldValue.nanoseconds(cutoff)
        let expired = "\(stream) = ? AND \(time) < ?"
        var unprocessed = 0
        if let slowest {
          unprocessed =
            try Int.fetchOne(
              db, sql: "SELECT count(*) FROM events WHERE \(expired) AND sequence > ?",
              arguments: [eventStream.rawValue, cutoffValue, slowest.sequence]) ?? 0
        }
        // Unless forced, only what the slowest consumer has processed goes.
        let processed = force ? Int64.max : slowest?.sequence ?? Int64.max
        let deletable = "\(expired) AND sequence <= ?"
        let arguments: StatementArguments = [eventStream.rawValue, cutoffValue, processed]
        // Keep per-account counts right: count what goes, per account, before deleting it.
        let perAccount = try Row.fetchAll(
          db, sql: "SELECT \(account) AS account, count(*) AS n FROM events WHERE \(deletable) GROUP BY \(account)",
          arguments: arguments)
        try db.execute(sql: "DELETE FROM events WHERE \(deletable)", arguments: arguments)
        let deleted = db.changesCount
        if deleted > 0 { try RollupWriter.rebuild(stream: eventStream, cutoff: cutoffValue, db: db) }
        for row in perAccount {
          try db.execute(
            sql: "UPDATE streams SET events_stored = max(0, events_stored - ?) WHERE account = ? AND stream = ?",
            arguments: [row["n"] as Int, row["account"] as String, eventStream.rawValue])
        }
        try db.execute(
          sql: "INSERT INTO retention_runs VALUES (?, ?, ?, ?, ?, ?)",
          arguments: [FieldValue.nanoseconds(now), eventStream.rawValue, cutoffValue, deleted, unprocessed, force])
        entries.append(
          .init(stream: eventStream, cutoff: cutoff, deleted: deleted, unprocessed: unprocessed, forced: force))
      }
      return RetentionReport(entries: entries, slowestConsumer: slowest?.name)
    }
  }

  // MARK: - Reading

  package func streamStates() async throws(StoreError) -> [StreamState] {
    try await read { db in
      try Row.fetchAll(db, sql: "SELECT * FROM streams ORDER BY account, stream").compactMap(Self.state(row:))
    }
  }

  package func streamState(_ key: StreamKey) async throws(StoreError) -> StreamState? {
    try await read { db in try Self.state(key, db: db) }
  }

  package func events(after sequence: Int64, limit: Int) async throws(StoreError) -> [StoredEvent] {
    try await read { db in
      let restored = Schema.restoredFields.map(\.column).joined(separator: ", ")
      let rows = try Row.fetchCursor(
        db,
        sql: """
          SELECT sequence, \(FieldCatalog.account.column), \(FieldCatalog.stream.column), \
          \(FieldCatalog.ingested.column), raw, \(restored) FROM events WHERE sequence > ? ORDER BY sequence LIMIT ?
          """, arguments: [sequence, max(0, limit)])
      var events: [StoredEvent] = []
      while let row = try rows.next() {
        if let event = Self.event(row: row) { events.append(StoredEvent(sequence: row[0], event: event)) }
      }
      return events
    }
  }

  package func rawEvents(after sequence: Int64, limit: Int) async throws(StoreError) -> [RawStoredEvent] {
    try await read { db in
      let rows = try Row.fetchCursor(
        db,
        sql: """
          SELECT sequence, \(FieldCatalog.account.column), \(FieldCatalog.stream.column), \
          \(FieldCatalog.uuid.column), \(FieldCatalog.time.column), \(FieldCatalog.ingested.column), raw \
          FROM events WHERE sequence > ? ORDER BY sequence LIMIT ?
          """, arguments: [sequence, max(0, limit)])
      var events: [RawStoredEvent] = []
      while let row = try rows.next() {
        guard let stream = EventStream(rawValue: row[2]) else { continue }
        let raw: Data = row[6]
        events.append(
          RawStoredEvent(
            sequence: row[0], account: row[1], stream: stream, uuid: row[3],
            time: FieldValue.timestamp(nanoseconds: row[4]), ingestedAt: FieldValue.timestamp(nanoseconds: row[5]),
            raw: Array(raw)))
      }
      return events
    }
  }

  /// An event from a row of `sequence, account, stream, ingested, raw, restored fields…`: normalized
  /// again from its raw JSON, with what enrichment stored put back.
  static func event(row: Row) -> CanonicalEvent? {
    guard let stream = EventStream(rawValue: row[2]) else { return nil }
    let raw: Data = row[4]
    guard
      var event = Normalizer.normalize(
        raw: Array(raw), account: row[1], stream: stream, ingestedAt: FieldValue.timestamp(nanoseconds: row[3]))
    else { return nil }
    for (offset, field) in Schema.restoredFields.enumerated() {
      field.restore?(&event, Schema.value(row[5 + offset], type: field.type))
    }
    return event
  }

  package func newestSequence() async throws(StoreError) -> Int64 {
    try await read { db in try Int64.fetchOne(db, sql: "SELECT max(sequence) FROM events") ?? 0 }
  }

  package func checkpoint(_ consumer: String) async throws(StoreError) -> Int64? {
    try await read { db in
      try Int64.fetchOne(db, sql: "SELECT sequence FROM consumers WHERE name = ?", arguments: [consumer])
    }
  }

  package func checkpoints() async throws(StoreError) -> [String: Int64] {
    try await read { db in
      var checkpoints: [String: Int64] = [:]
      for row in try Row.fetchAll(db, sql: "SELECT name, sequence FROM consumers") { checkpoints[row[0]] = row[1] }
      return checkpoints
    }
  }

  package func uuids(_ key: StreamKey) async throws(StoreError) -> [String] {
    try await read { db in
      try String.fetchAll(
        db,
        sql: """
          SELECT \(FieldCatalog.uuid.column) FROM events WHERE \(FieldCatalog.account.column) = ? \
          AND \(FieldCatalog.stream.column) = ? ORDER BY sequence
          """, arguments: [key.account, key.stream.rawValue])
    }
  }

  package func eventCount(_ key: StreamKey) async throws(StoreError) -> Int {
    try await read { db in
      try Int.fetchOne(
        db,
        sql: "SELECT count(*) FROM events WHERE \(FieldCatalog.account.column) = ? "
          + "AND \(FieldCatalog.stream.column) = ?", arguments: [key.account, key.stream.rawValue]) ?? 0
    }
  }

  // MARK: - Helpers

  static let insertSQL =
    "INSERT INTO events (\(Schema.columns.joined(separator: ", "))) VALUES ("
    + Array(repeating: "?", count: Schema.columns.count).joined(separator: ", ") + ")"

  private static func state(_ key: StreamKey, db: Database) throws -> StreamState? {
    try Row.fetchOne(
      db, sql: "SELECT * FROM streams WHERE account = ? AND stream = ?", arguments: [key.account, key.stream.rawValue]
    ).flatMap(state(row:))
  }

  private static func state(row: Row) -> StreamState? {
    guard let stream = EventStream(rawValue: row["stream"]) else { return nil }
    var state = StreamState(key: StreamKey(account: row["account"], stream: stream))
    func time(_ column: String) -> Timestamp? { (row[column] as Int64?).map(FieldValue.timestamp(nanoseconds:)) }
    state.cursor = row["cursor"]
    state.cursorUpdatedAt = time("cursor_updated_at")
    state.newestEventTime = time("newest_event_time")
    state.eventsStored = row["events_stored"]
    state.duplicates = row["duplicates"]
    state.malformed = row["malformed"]
    state.lastSuccessAt = time("last_success_at")
    state.caughtUpAt = time("caught_up_at")
    state.lastErrorAt = time("last_error_at")
    state.lastError = row["last_error"]
    state.isFailing = row["failing"]
    return state
  }

  private static func save(_ state: StreamState, db: Database) throws {
    func time(_ value: Timestamp?) -> Int64? { value.map(FieldValue.nanoseconds) }
    try db.execute(
      sql: """
        INSERT OR REPLACE INTO streams (account, stream, cursor, cursor_updated_at, newest_event_time, events_stored,
          duplicates, malformed, last_success_at, caught_up_at, last_error_at, last_error, failing)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
      arguments: [
        state.key.account, state.key.stream.rawValue, state.cursor, time(state.cursorUpdatedAt),
        time(state.newestEventTime), state.eventsStored, state.duplicates, state.malformed, time(state.lastSuccessAt),
        time(state.caughtUpAt), time(state.lastErrorAt), state.lastError, state.isFailing,
      ])
  }

  func write<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
    do {
      return try await pool.write(body)
    } catch {
      throw Self.storeError(error, path: path)
    }
  }

  func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws(StoreError) -> T {
    do {
      return try await pool.read(body)
    } catch {
      throw Self.storeError(error, path: path)
    }
  }

  /// Maps SQLite's result codes to errors that say what to do.
  static func storeError(_ error: any Error, path: String) -> StoreError {
    if let error = error as? StoreError { return error }
    guard let error = error as? DatabaseError else { return .other(String(describing: error)) }
    switch error.resultCode {
    case .SQLITE_BUSY, .SQLITE_LOCKED: return .locked(path: path)
    case .SQLITE_FULL: return .full(path: path)
    case .SQLITE_READONLY: return .readOnly(path: path)
    case .SQLITE_CORRUPT, .SQLITE_NOTADB: return .corrupt(path: path, reason: error.message ?? "not a database")
    case .SQLITE_CANTOPEN, .SQLITE_PERM, .SQLITE_IOERR:
      return .cannotOpen(path: path, reason: error.message ?? "\(error.resultCode)")
    default: return .other(error.message ?? String(describing: error))
    }
  }
}
