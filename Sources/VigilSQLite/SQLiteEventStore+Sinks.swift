import GRDB
import VigilBase
import VigilCore
import VigilEventsAPIModel

/// Sinks' quarantines and delivery states (schema 8).
extension SQLiteEventStore: SinkStore {
  static let createSinkTables = """
    CREATE TABLE sink_quarantine (
      sink TEXT NOT NULL, sequence INTEGER NOT NULL, account TEXT NOT NULL, stream TEXT NOT NULL, uuid TEXT NOT NULL,
      reason TEXT NOT NULL, at INTEGER NOT NULL, retry INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (sink, sequence)
    ) WITHOUT ROWID;
    CREATE TABLE sinks (
      name TEXT PRIMARY KEY, delivered INTEGER NOT NULL, skipped INTEGER NOT NULL, last_delivery_at INTEGER,
      newest_delivered INTEGER, last_error_at INTEGER, last_error TEXT, failing INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    ) WITHOUT ROWID
    """

  package func quarantine(_ entries: [QuarantineEntry]) async throws(StoreError) {
    guard !entries.isEmpty else { return }
    try await write { db in
      let statement = try db.cachedStatement(
        sql: """
          INSERT OR REPLACE INTO sink_quarantine (sink, sequence, account, stream, uuid, reason, at, retry)
          VALUES (?, ?, ?, ?, ?, ?, ?, 0)
          """)
      for entry in entries {
        try statement.execute(arguments: [
          entry.sink, entry.sequence, entry.account, entry.stream.rawValue, entry.uuid, entry.reason,
          FieldValue.nanoseconds(entry.at),
        ])
      }
    }
  }

  package func quarantined(sink: String, limit: Int) async throws(StoreError) -> [QuarantineEntry] {
    try await read { db in
      try Row.fetchAll(
        db, sql: "SELECT * FROM sink_quarantine WHERE sink = ? ORDER BY sequence LIMIT ?",
        arguments: [sink, max(0, limit)]
      ).compactMap(Self.quarantineEntry(row:))
    }
  }

  package func quarantineCounts() async throws(StoreError) -> [String: Int] {
    try await read { db in
      var counts: [String: Int] = [:]
      for row in try Row.fetchAll(db, sql: "SELECT sink, count(*) FROM sink_quarantine GROUP BY sink") {
        counts[row[0]] = row[1]
      }
      return counts
    }
  }

  package func requestRetry(sink: String) async throws(StoreError) -> Int {
    try await write { db in
      try db.execute(sql: "UPDATE sink_quarantine SET retry = 1 WHERE sink = ?", arguments: [sink])
      return try Int.fetchOne(db, sql: "SELECT count(*) FROM sink_quarantine WHERE sink = ?", arguments: [sink]) ?? 0
    }
  }

  package func retries(sink: String, limit: Int) async throws(StoreError) -> [(
    entry: QuarantineEntry, event: StoredEvent?
  )] {
    try await read { db in
      let restored = Schema.restoredFields.map { "e.\($0.column)" }.joined(separator: ", ")
      let rows = try Row.fetchAll(
        db,
        sql: """
          SELECT q.sequence, e.\(FieldCatalog.account.column), e.\(FieldCatalog.stream.column), \
          e.\(FieldCatalog.ingested.column), e.raw, \(restored), e.sequence AS stored, q.sink AS q_sink, \
          q.account AS q_account, q.stream AS q_stream, q.uuid AS q_uuid, q.reason AS q_reason, q.at AS q_at \
          FROM sink_quarantine q LEFT JOIN events e ON e.sequence = q.sequence \
          WHERE q.sink = ? AND q.retry = 1 ORDER BY q.sequence LIMIT ?
          """, arguments: [sink, max(0, limit)])
      return rows.compactMap { row in
        guard let stream = EventStream(rawValue: row["q_stream"]) else { return nil }
        var entry = QuarantineEntry(
          sink: row["q_sink"], sequence: row[0], account: row["q_account"], stream: stream, uuid: row["q_uuid"],
          reason: row["q_reason"], at: FieldValue.timestamp(nanoseconds: row["q_at"]))
        entry.retry = true
        let stored = (row["stored"] as Int64?) == nil ? nil : Self.event(row: row)
        return (entry, stored.map { StoredEvent(sequence: entry.sequence, event: $0) })
      }
    }
  }

  package func release(sink: String, sequences: [Int64]) async throws(StoreError) {
    guard !sequences.isEmpty else { return }
    try await write { db in
      let statement = try db.cachedStatement(sql: "DELETE FROM sink_quarantine WHERE sink = ? AND sequence = ?")
      for sequence in sequences { try statement.execute(arguments: [sink, sequence]) }
    }
  }

  package func recordSink(_ status: SinkStatus) async throws(StoreError) {
    try await write { db in
      try db.execute(
        sql: """
          INSERT OR REPLACE INTO sinks (name, delivered, skipped, last_delivery_at, newest_delivered, last_error_at,
            last_error, failing, updated_at, alert_revision) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          status.name, status.delivered, status.skipped, status.lastDeliveryAt.map(FieldValue.nanoseconds),
          status.newestDelivered.map(FieldValue.nanoseconds), status.lastErrorAt.map(FieldValue.nanoseconds),
          status.lastError, status.isFailing, FieldValue.nanoseconds(status.updatedAt), status.alertRevision,
        ])
    }
  }

  package func sinkStatuses() async throws(StoreError) -> [SinkStatus] {
    try await read { db in
      try Row.fetchAll(db, sql: "SELECT * FROM sinks ORDER BY name").map { row in
        func time(_ column: String) -> Timestamp? {
          (row[column] as Int64?).map(FieldValue.timestamp(nanoseconds:))
        }
        var status = SinkStatus(name: row["name"], updatedAt: FieldValue.timestamp(nanoseconds: row["updated_at"]))
        status.delivered = row["delivered"]
        status.skipped = row["skipped"]
        status.lastDeliveryAt = time("last_delivery_at")
        status.newestDelivered = time("newest_delivered")
        status.lastErrorAt = time("last_error_at")
        status.lastError = row["last_error"]
        status.isFailing = row["failing"]
        status.alertRevision = row["alert_revision"]
        return status
      }
    }
  }

  static func quarantineEntry(row: Row) -> QuarantineEntry? {
    guard let stream = EventStream(rawValue: row["stream"]) else { return nil }
    var entry = QuarantineEntry(
      sink: row["sink"], sequence: row["sequence"], account: row["account"], stream: stream, uuid: row["uuid"],
      reason: row["reason"], at: FieldValue.timestamp(nanoseconds: row["at"]))
    entry.retry = row["retry"]
    return entry
  }
}
