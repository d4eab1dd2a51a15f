import Logging
import NIOCore
import PostgresNIO
import VigilBase
import VigilCore
import VigilEventsAPIModel

extension PostgresEventStore: EventLog, CheckpointStore, SourceStatusStore {
  /// The columns ``event(row:)`` reads: identity, the raw JSON and the restored fields.
  static let eventColumns =
    ["sequence", FieldCatalog.account.column, FieldCatalog.stream.column, FieldCatalog.ingested.column, "raw"]
    + FieldCatalog.restoredFields.map(\.column)

  package func events(after sequence: Int64, limit: Int) async throws(StoreError) -> [StoredEvent] {
    var bind = Binder()
    let rows = try await rows(
      "SELECT \(Self.eventColumns.joined(separator: ", ")) FROM events WHERE sequence > \(bind(sequence)) "
        + "ORDER BY sequence LIMIT \(bind(Int64(max(0, limit))))", bind.binds)
    return rows.compactMap(Self.storedEvent(row:))
  }

  package func rawEvents(after sequence: Int64, limit: Int) async throws(StoreError) -> [RawStoredEvent] {
    var bind = Binder()
    let rows = try await rows(
      """
      SELECT sequence, \(FieldCatalog.account.column), \(FieldCatalog.stream.column), \(FieldCatalog.uuid.column), \
      \(FieldCatalog.time.column), \(FieldCatalog.ingested.column), raw FROM events \
      WHERE sequence > \(bind(sequence)) ORDER BY sequence LIMIT \(bind(Int64(max(0, limit))))
      """, bind.binds)
    return rows.compactMap { row in
      guard let stream = try? EventStream(rawValue: row[2].decode(String.self)),
        let sequence = try? row[0].decode(Int64.self), let account = try? row[1].decode(String.self),
        let uuid = try? row[3].decode(String.self), let time = try? row[4].decode(Int64.self),
        let ingested = try? row[5].decode(Int64.self), let raw = try? row[6].decode(ByteBuffer.self)
      else { return nil }
      return RawStoredEvent(
        sequence: sequence, account: account, stream: stream, uuid: uuid,
        time: FieldValue.timestamp(nanoseconds: time), ingestedAt: FieldValue.timestamp(nanoseconds: ingested),
        raw: Array(raw.readableBytesView))
    }
  }

  package func newestSequence() async throws(StoreError) -> Int64 {
    let rows = try await rows("SELECT max(sequence) FROM events")
    let stored = (try? rows.first?[0].decode(Int64?.self)) ?? nil
    return stored ?? 0
  }

  package func uuids(_ key: StreamKey) async throws(StoreError) -> [String] {
    var bind = Binder()
    let rows = try await rows(
      """
      SELECT \(FieldCatalog.uuid.column) FROM events WHERE \(FieldCatalog.account.column) = \(bind(key.account)) \
      AND \(FieldCatalog.stream.column) = \(bind(key.stream.rawValue)) ORDER BY sequence
      """, bind.binds)
    return rows.compactMap { try? $0[0].decode(String.self) }
  }

  package func eventCount(_ key: StreamKey) async throws(StoreError) -> Int {
    var bind = Binder()
    let rows = try await rows(
      "SELECT count(*) FROM \(PostgresSchema.streamTable(key.stream)) "
        + "WHERE \(FieldCatalog.account.column) = \(bind(key.account))", bind.binds)
    do {
      return Int(try rows.first?[0].decode(Int64.self) ?? 0)
    } catch {
      throw storeError(error)
    }
  }

  package func checkpoint(_ consumer: String) async throws(StoreError) -> Int64? {
    var bind = Binder()
    let rows = try await rows("SELECT sequence FROM consumers WHERE name = \(bind(consumer))", bind.binds)
    return rows.first.flatMap { try? $0[0].decode(Int64.self) }
  }

  package func checkpoints() async throws(StoreError) -> [String: Int64] {
    var checkpoints: [String: Int64] = [:]
    for row in try await rows("SELECT name, sequence FROM consumers") {
      if let name = try? row[0].decode(String.self), let sequence = try? row[1].decode(Int64.self) {
        checkpoints[name] = sequence
      }
    }
    return checkpoints
  }

  package func saveCheckpoint(_ consumer: String, sequence: Int64, at time: Timestamp, fence: LeaseClaim?)
    async throws(StoreError)
  {
    var bind = Binder()
    let sql = """
      INSERT INTO consumers (name, sequence, updated_at) VALUES (\(bind(consumer.withoutNUL)), \(bind(sequence)), \
      \(bind(FieldValue.nanoseconds(time)))) ON CONFLICT (name) DO UPDATE SET sequence = excluded.sequence, \
      updated_at = excluded.updated_at
      """
    guard let fence else { return try await execute(sql, bind.binds) }
    let (logger, binds) = (self.logger, bind.binds)
    try await transaction { connection in
      try await Self.checkClaim(fence, on: connection, logger: logger)
      try await connection.execute(sql, binds, logger: logger)
    }
  }

  package func recordSources(_ statuses: [SourceStatus]) async throws(StoreError) {
    let logger = self.logger
    try await transaction { connection in
      try await connection.execute("DELETE FROM enrichment_sources", logger: logger)
      for status in statuses {
        var bind = Binder()
        let values = [
          bind(status.name.withoutNUL), bind(status.kind.withoutNUL), bind(status.location.withoutNUL),
          bind(Int64(status.entries)), bind(Int64(status.skipped)),
          bind(status.problems.joined(separator: "\n").withoutNUL), bind(status.loadedAt.map(FieldValue.nanoseconds)),
          bind(status.refreshedAt.map(FieldValue.nanoseconds)), bind(status.error.map { String($0.prefix(2000)) }),
          bind(FieldValue.nanoseconds(status.checkedAt)),
        ]
        try await connection.execute(
          """
          INSERT INTO enrichment_sources (name, kind, location, entries, skipped, problems, loaded_at, refreshed_at,
            error, checked_at) VALUES (\(values.joined(separator: ", "))) ON CONFLICT (name) DO NOTHING
          """, bind.binds, logger: logger)
      }
    }
  }

  package func sourceStatuses() async throws(StoreError) -> [SourceStatus] {
    let rows = try await rows(
      """
      SELECT name, kind, location, entries, skipped, problems, loaded_at, refreshed_at, error, checked_at
      FROM enrichment_sources ORDER BY name
      """)
    do {
      return try rows.map { row in
        func time(_ index: Int) throws -> Timestamp? {
          try row[index].decode(Int64?.self).map(FieldValue.timestamp(nanoseconds:))
        }
        var status = SourceStatus(
          name: try row[0].decode(String.self), kind: try row[1].decode(String.self),
          location: try row[2].decode(String.self), checkedAt: try time(9) ?? Timestamp(seconds: 0))
        status.entries = Int(try row[3].decode(Int64.self))
        status.skipped = Int(try row[4].decode(Int64.self))
        let problems = try row[5].decode(String.self)
        status.problems = problems.isEmpty ? [] : problems.split(separator: "\n").map(String.init)
        status.loadedAt = try time(6)
        status.refreshedAt = try time(7)
        status.error = try row[8].decode(String?.self)
        return status
      }
    } catch {
      throw storeError(error)
    }
  }

  /// A stored event from a row of ``eventColumns``: normalized again from its raw JSON, with what
  /// enrichment stored put back.
  static func storedEvent(row: PostgresRandomAccessRow) -> StoredEvent? {
    guard let sequence = try? row[0].decode(Int64.self), let account = try? row[1].decode(String.self),
      let streamName = try? row[2].decode(String.self), let stream = EventStream(rawValue: streamName),
      let ingested = try? row[3].decode(Int64.self), let raw = try? row[4].decode(ByteBuffer.self),
      var event = Normalizer.normalize(
        raw: Array(raw.readableBytesView), account: account, stream: stream,
        ingestedAt: FieldValue.timestamp(nanoseconds: ingested))
    else { return nil }
    for (offset, field) in FieldCatalog.restoredFields.enumerated() {
      field.restore?(&event, value(row[5 + offset], type: field.type))
    }
    return StoredEvent(sequence: sequence, event: event)
  }

  /// A column's value as the catalog type says.
  static func value(_ cell: PostgresCell, type: FieldType) -> FieldValue? {
    switch type {
    case .keyword, .text, .ip: (try? cell.decode(String?.self))?.flatMap { .string($0) }
    case .integer: (try? cell.decode(Int64?.self))?.flatMap { .integer($0) }
    case .time: (try? cell.decode(Int64?.self))?.flatMap { .time(FieldValue.timestamp(nanoseconds: $0)) }
    case .double: (try? cell.decode(Double?.self))?.flatMap { .double($0) }
    }
  }
}
