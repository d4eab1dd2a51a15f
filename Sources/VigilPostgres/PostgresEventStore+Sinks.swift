import Logging
import PostgresNIO
import VigilBase
import VigilCore
import VigilEventsAPIModel

/// Sinks' quarantines and delivery states.
extension PostgresEventStore: SinkStore {
  static let sinkTables = [
    """
    CREATE TABLE sink_quarantine (
      sink text NOT NULL, sequence bigint NOT NULL, account text NOT NULL, stream text NOT NULL, uuid text NOT NULL,
      reason text NOT NULL, at bigint NOT NULL, retry boolean NOT NULL DEFAULT false, PRIMARY KEY (sink, sequence))
    """,
    """
    CREATE TABLE sinks (
      name text PRIMARY KEY, delivered bigint NOT NULL, skipped bigint NOT NULL, last_delivery_at bigint,
      newest_delivered bigint, last_error_at bigint, last_error text, failing boolean NOT NULL,
      updated_at bigint NOT NULL, alert_revision bigint NOT NULL DEFAULT 0)
    """,
  ]

  package func quarantine(_ entries: [QuarantineEntry]) async throws(StoreError) {
    guard !entries.isEmpty else { return }
    var binds = PostgresBindings()
    binds.append(entries.map(\.sink.withoutNUL))
    binds.append(entries.map(\.sequence))
    binds.append(entries.map(\.account.withoutNUL))
    binds.append(entries.map(\.stream.rawValue))
    binds.append(entries.map(\.uuid.withoutNUL))
    binds.append(entries.map(\.reason.withoutNUL))
    binds.append(entries.map { FieldValue.nanoseconds($0.at) })
    try await execute(
      """
      INSERT INTO sink_quarantine (sink, sequence, account, stream, uuid, reason, at, retry)
      SELECT DISTINCT ON (sink, sequence) *, false FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[],
        $5::text[], $6::text[], $7::bigint[]) AS q(sink, sequence, account, stream, uuid, reason, at)
      ON CONFLICT (sink, sequence) DO UPDATE SET account = excluded.account, stream = excluded.stream,
        uuid = excluded.uuid, reason = excluded.reason, at = excluded.at, retry = false
      """, binds)
  }

  package func quarantined(sink: String, limit: Int) async throws(StoreError) -> [QuarantineEntry] {
    var bind = Binder()
    let rows = try await rows(
      """
      SELECT sink, sequence, account, stream, uuid, reason, at, retry FROM sink_quarantine \
      WHERE sink = \(bind(sink)) ORDER BY sequence LIMIT \(bind(Int64(max(0, limit))))
      """, bind.binds)
    return rows.compactMap { row in
      guard let stream = try? EventStream(rawValue: row[3].decode(String.self)),
        var entry = try? QuarantineEntry(
          sink: row[0].decode(String.self), sequence: row[1].decode(Int64.self), account: row[2].decode(String.self),
          stream: stream, uuid: row[4].decode(String.self), reason: row[5].decode(String.self),
          at: FieldValue.timestamp(nanoseconds: row[6].decode(Int64.self)))
      else { return nil }
      entry.retry = (try? row[7].decode(Bool.self)) ?? false
      return entry
    }
  }

  package func quarantineCounts() async throws(StoreError) -> [String: Int] {
    var counts: [String: Int] = [:]
    for row in try await rows("SELECT sink, count(*) FROM sink_quarantine GROUP BY sink") {
      if let sink = try? row[0].decode(String.self), let count = try? row[1].decode(Int64.self) {
        counts[sink] = Int(count)
      }
    }
    return counts
  }

  package func requestRetry(sink: String) async throws(StoreError) -> Int {
    var bind = Binder()
    let rows = try await rows(
      """
      WITH marked AS (UPDATE sink_quarantine SET retry = true WHERE sink = \(bind(sink)) RETURNING 1)
      SELECT count(*) FROM marked
      """, bind.binds)
    return Int((try? rows.first?[0].decode(Int64.self)) ?? 0)
  }

  package func retries(sink: String, limit: Int) async throws(StoreError) -> [(
    entry: QuarantineEntry, event: StoredEvent?
  )] {
    var bind = Binder()
    let columns = Self.eventColumns.map { "e.\($0)" }.joined(separator: ", ")
    let rows = try await rows(
      """
      SELECT \(columns), q.sink, q.sequence, q.account, q.stream, q.uuid, q.reason, q.at \
      FROM sink_quarantine q LEFT JOIN events e ON e.sequence = q.sequence \
      WHERE q.sink = \(bind(sink)) AND q.retry ORDER BY q.sequence LIMIT \(bind(Int64(max(0, limit))))
      """, bind.binds)
    let base = Self.eventColumns.count
    return rows.compactMap { row in
      guard let stream = try? EventStream(rawValue: row[base + 3].decode(String.self)),
        var entry = try? QuarantineEntry(
          sink: row[base].decode(String.self), sequence: row[base + 1].decode(Int64.self),
          account: row[base + 2].decode(String.self), stream: stream, uuid: row[base + 4].decode(String.self),
          reason: row[base + 5].decode(String.self),
          at: FieldValue.timestamp(nanoseconds: row[base + 6].decode(Int64.self)))
      else { return nil }
      entry.retry = true
      return (entry, Self.storedEvent(row: row))
    }
  }

  package func release(sink: String, sequences: [Int64]) async throws(StoreError) {
    guard !sequences.isEmpty else { return }
    var binds = PostgresBindings()
    binds.append(sink)
    binds.append(sequences)
    try await execute("DELETE FROM sink_quarantine WHERE sink = $1 AND sequence = ANY($2::bigint[])", binds)
  }

  package func recordSink(_ status: SinkStatus) async throws(StoreError) {
    var bind = Binder()
    func time(_ value: Timestamp?) -> String { bind(value.map(FieldValue.nanoseconds)) }
    let values = [
      bind(status.name.withoutNUL), bind(status.delivered), bind(status.skipped), time(status.lastDeliveryAt),
      time(status.newestDelivered), time(status.lastErrorAt), bind(status.lastError?.withoutNUL),
      bind(status.isFailing), bind(FieldValue.nanoseconds(status.updatedAt)), bind(status.alertRevision),
    ]
    try await execute(
      """
      INSERT INTO sinks (name, delivered, skipped, last_delivery_at, newest_delivered, last_error_at, last_error,
        failing, updated_at, alert_revision) VALUES (\(values.joined(separator: ", ")))
      ON CONFLICT (name) DO UPDATE SET delivered = excluded.delivered, skipped = excluded.skipped,
        last_delivery_at = excluded.last_delivery_at, newest_delivered = excluded.newest_delivered,
        last_error_at = excluded.last_error_at, last_error = excluded.last_error, failing = excluded.failing,
        updated_at = excluded.updated_at, alert_revision = excluded.alert_revision
      """, bind.binds)
  }

  package func sinkStatuses() async throws(StoreError) -> [SinkStatus] {
    let rows = try await rows(
      """
      SELECT name, delivered, skipped, last_delivery_at, newest_delivered, last_error_at, last_error, failing,
      updated_at, alert_revision FROM sinks ORDER BY name
      """)
    do {
      return try rows.map { row in
        func time(_ index: Int) throws -> Timestamp? {
          try row[index].decode(Int64?.self).map(FieldValue.timestamp(nanoseconds:))
        }
        var status = SinkStatus(
          name: try row[0].decode(String.self),
          updatedAt: FieldValue.timestamp(nanoseconds: try row[8].decode(Int64.self)))
        status.delivered = try row[1].decode(Int64.self)
        status.skipped = try row[2].decode(Int64.self)
        status.lastDeliveryAt = try time(3)
        status.newestDelivered = try time(4)
        status.lastErrorAt = try time(5)
        status.lastError = try row[6].decode(String?.self)
        status.isFailing = try row[7].decode(Bool.self)
        status.alertRevision = try row[9].decode(Int64.self)
        return status
      }
    } catch {
      throw storeError(error)
    }
  }
}
