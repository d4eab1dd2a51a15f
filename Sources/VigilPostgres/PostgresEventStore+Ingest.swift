import Logging
import NIOCore
import PostgresNIO
import VigilBase
import VigilCore
import VigilEventsAPIModel

extension PostgresEventStore: IngestStore {
  /// One transaction in two parts. Under the shared ingest lock (which only retention takes
  /// exclusively), commits run side by side: drop the events already stored, add the new ones' rollup
  /// counts and save the stream's cursor and health. Rollup rows and stream rows belong to one account
  /// and stream, which one leased collector writes, so concurrent commits touch different rows. Then,
  /// under the exclusive sequence lock held to commit: make missing month partitions, reserve a block
  /// of sequence numbers, record the keys and COPY the events. A tailer reading by sequence so never
  /// sees a number before a lower one commits, and only that second part is serialized.
  package func commit(_ batch: IngestBatch) async throws(StoreError) -> CommitResult {
    let logger = self.logger
    return try await transaction { connection in
      try await Self.checkClaim(batch.claim, on: connection, logger: logger)
      try await connection.execute(
        "SELECT pg_advisory_xact_lock_shared(\(PostgresSchema.ingestLock))", logger: logger)
      // Within the batch, the first of repeated identities counts (a page absorbed twice).
      var seen = Set<EventKey>()
      var candidates: [Int] = []
      for index in batch.events.indices where seen.insert(EventKey(batch.events[index])).inserted {
        candidates.append(index)
      }
      let stored = try await Self.storedKeys(of: candidates.map { batch.events[$0] }, on: connection, logger: logger)
      let fresh = candidates.filter { !stored.contains(EventKey(batch.events[$0])) }.map { batch.events[$0] }
      let result = CommitResult(inserted: fresh.count, duplicates: batch.events.count - fresh.count)
      var totals = RollupTotals()
      var newest: Timestamp?
      for event in fresh {
        totals.add(event)
        if newest.map({ event.time > $0 }) ?? true { newest = event.time }
      }
      if !fresh.isEmpty { try await PostgresRollups.write(totals, on: connection, logger: logger) }
      var state = try await Self.state(batch.key, on: connection, logger: logger) ?? StreamState(key: batch.key)
      if let newest, state.newestEventTime.map({ newest > $0 }) ?? true { state.newestEventTime = newest }
      state.apply(batch, result: result)
      try await Self.save(state, on: connection, logger: logger)
      guard !fresh.isEmpty else { return result }
      try await connection.execute("SELECT pg_advisory_xact_lock(\(PostgresSchema.sequenceLock))", logger: logger)
      try await Self.makePartitions(for: fresh, on: connection, logger: logger)
      let last = try await connection.rows(
        "SELECT setval('event_sequence', nextval('event_sequence') + \(fresh.count - 1))", logger: logger
      )[0][0].decode(Int64.self)
      let first = last - Int64(fresh.count) + 1
      try await Self.insertKeys(
        fresh, sequences: fresh.indices.map { first + Int64($0) }, on: connection, logger: logger)
      var rows = CopyRows(capacity: fresh.count * 2_048)
      for (offset, event) in fresh.enumerated() { Self.write(event, sequence: first + Int64(offset), into: &rows) }
      let bytes = rows.bytes
      try await connection.copy(bytes, into: "events", columns: PostgresSchema.columns, logger: logger)
      return result
    }
  }

  package func recordError(_ key: StreamKey, message: String, at time: Timestamp) async throws(StoreError) {
    let logger = self.logger
    try await transaction { connection in
      var state = try await Self.state(key, on: connection, logger: logger) ?? StreamState(key: key)
      state.lastError = String(message.prefix(2000))
      state.lastErrorAt = time
      state.isFailing = true
      try await Self.save(state, on: connection, logger: logger)
    }
  }

  package func streamState(_ key: StreamKey) async throws(StoreError) -> StreamState? {
    let logger = self.logger
    return try await transaction { connection in try await Self.state(key, on: connection, logger: logger) }
  }

  package func streamStates() async throws(StoreError) -> [StreamState] {
    try await rows("SELECT \(Self.stateColumns) FROM streams ORDER BY account, stream").compactMap(Self.state(row:))
  }

  package func recordRate(_ status: RateStatus) async throws(StoreError) {
    var bind = Binder()
    let values = [
      bind(status.account), bind(Int64(status.usedLastMinute)), bind(Int64(status.usedLastHour)),
      bind(Int64(status.limitPerMinute)), bind(Int64(status.limitPerHour)),
      bind(status.serverRemaining.map(Int64.init)),
      bind(status.heldUntil.map(FieldValue.nanoseconds)), bind(FieldValue.nanoseconds(status.recordedAt)),
    ]
    try await execute(
      """
      INSERT INTO rate_budgets (account, used_minute, used_hour, limit_minute, limit_hour, server_remaining,
        held_until, recorded_at) VALUES (\(values.joined(separator: ", ")))
      ON CONFLICT (account) DO UPDATE SET used_minute = excluded.used_minute, used_hour = excluded.used_hour,
        limit_minute = excluded.limit_minute, limit_hour = excluded.limit_hour,
        server_remaining = excluded.server_remaining, held_until = excluded.held_until,
        recorded_at = excluded.recorded_at
      """, bind.binds)
  }

  package func rateStatuses() async throws(StoreError) -> [RateStatus] {
    let rows = try await rows(
      """
      SELECT account, used_minute, used_hour, limit_minute, limit_hour, server_remaining, held_until, recorded_at
      FROM rate_budgets ORDER BY account
      """)
    do {
      return try rows.map { row in
        RateStatus(
          account: try row[0].decode(String.self), usedLastMinute: Int(try row[1].decode(Int64.self)),
          usedLastHour: Int(try row[2].decode(Int64.self)), limitPerMinute: Int(try row[3].decode(Int64.self)),
          limitPerHour: Int(try row[4].decode(Int64.self)),
          serverRemaining: try row[5].decode(Int64?.self).map(Int.init),
          heldUntil: try row[6].decode(Int64?.self).map(FieldValue.timestamp(nanoseconds:)),
          recordedAt: FieldValue.timestamp(nanoseconds: try row[7].decode(Int64.self)))
      }
    } catch {
      throw storeError(error)
    }
  }

  // MARK: - Helpers

  /// An event's identity: one row per (account, stream, uuid).
  struct EventKey: Hashable {
    var account: String
    var stream: String
    var uuid: String

    init(_ event: CanonicalEvent) {
      account = event.account.withoutNUL
      stream = event.stream.rawValue
      uuid = event.uuid.withoutNUL
    }

    init(account: String, stream: String, uuid: String) {
      self.account = account
      self.stream = stream
      self.uuid = uuid
    }
  }

  /// Which of these events' identities are already stored.
  static func storedKeys(of events: [CanonicalEvent], on connection: PostgresConnection, logger: Logger) async throws
    -> Set<EventKey>
  {
    guard !events.isEmpty else { return [] }
    var binds = PostgresBindings()
    binds.append(events.map(\.account.withoutNUL))
    binds.append(events.map(\.stream.rawValue))
    binds.append(events.map(\.uuid.withoutNUL))
    let rows = try await connection.rows(
      """
      SELECT k.account, k.stream, k.uuid FROM event_keys k
      JOIN unnest($1::text[], $2::text[], $3::text[]) AS n(account, stream, uuid)
      ON k.account = n.account AND k.stream = n.stream AND k.uuid = n.uuid
      """, binds, logger: logger)
    var keys = Set<EventKey>()
    for row in rows {
      keys.insert(
        EventKey(
          account: try row[0].decode(String.self), stream: try row[1].decode(String.self),
          uuid: try row[2].decode(String.self)))
    }
    return keys
  }

  static func insertKeys(
    _ events: [CanonicalEvent], sequences: [Int64], on connection: PostgresConnection, logger: Logger
  ) async throws {
    var binds = PostgresBindings()
    binds.append(events.map(\.account.withoutNUL))
    binds.append(events.map(\.stream.rawValue))
    binds.append(events.map(\.uuid.withoutNUL))
    binds.append(sequences)
    binds.append(events.map { FieldValue.nanoseconds($0.time) })
    try await connection.execute(
      """
      INSERT INTO event_keys (account, stream, uuid, sequence, event_time)
      SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::bigint[])
      """, binds, logger: logger)
  }

  /// Creates the month partitions these events need that do not exist yet (under the ingest lock,
  /// which retention also takes before it drops one).
  static func makePartitions(for events: [CanonicalEvent], on connection: PostgresConnection, logger: Logger)
    async throws
  {
    var needed = Set<MonthPartition>()
    for event in events {
      needed.insert(MonthPartition(stream: event.stream, nanoseconds: FieldValue.nanoseconds(event.time)))
    }
    var binds = PostgresBindings()
    binds.append(needed.map(\.table))
    let missing = Set(
      try await connection.rows(
        "SELECT name FROM unnest($1::text[]) AS t(name) WHERE to_regclass(name) IS NULL", binds, logger: logger
      ).map { try $0[0].decode(String.self) })
    for partition in needed where missing.contains(partition.table) {
      try await connection.execute(partition.createSQL, logger: logger)
    }
  }

  private static let columnValues = FieldCatalog.fields.map(\.value)
  private static let ipValues = PostgresSchema.ipFields.map(\.value)

  /// One events row in ``PostgresSchema/columns`` order.
  static func write(_ event: CanonicalEvent, sequence: Int64, into rows: inout CopyRows) {
    rows.integer(sequence)
    for value in columnValues { rows.value(value(event)) }
    for value in ipValues {
      if case .string(let text)? = value(event), let address = IPAddress(text) {
        rows.binary(address.bytes)
      } else {
        rows.null()
      }
    }
    rows.binary(event.raw)
    rows.endRow()
  }

  static let stateColumns = """
    account, stream, cursor, cursor_updated_at, newest_event_time, events_stored, duplicates, malformed, \
    last_success_at, caught_up_at, last_error_at, last_error, failing
    """

  static func state(_ key: StreamKey, on connection: PostgresConnection, logger: Logger) async throws -> StreamState? {
    var binds = PostgresBindings()
    binds.append(key.account)
    binds.append(key.stream.rawValue)
    return try await connection.rows(
      "SELECT \(stateColumns) FROM streams WHERE account = $1 AND stream = $2", binds, logger: logger
    ).first.flatMap(state(row:))
  }

  static func state(row: PostgresRandomAccessRow) -> StreamState? {
    do {
      guard let stream = EventStream(rawValue: try row[1].decode(String.self)) else { return nil }
      var state = StreamState(key: StreamKey(account: try row[0].decode(String.self), stream: stream))
      func time(_ index: Int) throws -> Timestamp? {
        try row[index].decode(Int64?.self).map(FieldValue.timestamp(nanoseconds:))
      }
      state.cursor = try row[2].decode(String?.self)
      state.cursorUpdatedAt = try time(3)
      state.newestEventTime = try time(4)
      state.eventsStored = try row[5].decode(Int64.self)
      state.duplicates = try row[6].decode(Int64.self)
      state.malformed = try row[7].decode(Int64.self)
      state.lastSuccessAt = try time(8)
      state.caughtUpAt = try time(9)
      state.lastErrorAt = try time(10)
      state.lastError = try row[11].decode(String?.self)
      state.isFailing = try row[12].decode(Bool.self)
      return state
    } catch {
      return nil
    }
  }

  static func save(_ state: StreamState, on connection: PostgresConnection, logger: Logger) async throws {
    var bind = Binder()
    func time(_ value: Timestamp?) -> String { bind(value.map(FieldValue.nanoseconds)) }
    let values = [
      bind(state.key.account.withoutNUL), bind(state.key.stream.rawValue), bind(state.cursor?.withoutNUL),
      time(state.cursorUpdatedAt), time(state.newestEventTime), bind(state.eventsStored), bind(state.duplicates),
      bind(state.malformed), time(state.lastSuccessAt), time(state.caughtUpAt), time(state.lastErrorAt),
      bind(state.lastError?.withoutNUL), bind(state.isFailing),
    ]
    try await connection.execute(
      """
      INSERT INTO streams (\(stateColumns)) VALUES (\(values.joined(separator: ", ")))
      ON CONFLICT (account, stream) DO UPDATE SET cursor = excluded.cursor,
        cursor_updated_at = excluded.cursor_updated_at, newest_event_time = excluded.newest_event_time,
        events_stored = excluded.events_stored, duplicates = excluded.duplicates, malformed = excluded.malformed,
        last_success_at = excluded.last_success_at, caught_up_at = excluded.caught_up_at,
        last_error_at = excluded.last_error_at, last_error = excluded.last_error, failing = excluded.failing
      """, bind.binds, logger: logger)
  }
}
