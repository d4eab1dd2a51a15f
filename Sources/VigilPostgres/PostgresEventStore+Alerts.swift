import Logging
import NIOCore
import PostgresNIO
import VigilBase
import VigilCore

/// Alerts, the detector's state and the notification outbox. An alert's group and evidence are
/// arrays (`text[]`, `bigint[]`): read whole, never searched inside.
///
/// Revisions order the alert stream that sinks tail, so, as with events' sequence numbers, every
/// change takes the alerts lock before it draws one: revision order is commit order.
extension PostgresEventStore: AlertStore, NotificationOutbox {
  static let alertsLock: Int64 = 0x5649_4749_4c00_0003

  static let alertTables = [
    """
    CREATE TABLE alerts (
      id text PRIMARY KEY, rule text NOT NULL, title text NOT NULL, severity text NOT NULL,
      severity_rank integer NOT NULL, grouping text[] NOT NULL, group_fields text[] NOT NULL, period bigint NOT NULL,
      first_time bigint NOT NULL, last_time bigint NOT NULL, count bigint NOT NULL, evidence_sequences bigint[] NOT NULL,
      evidence_uuids text[] NOT NULL, status text NOT NULL DEFAULT 'open', status_by text, status_note text,
      status_at bigint, created_at bigint NOT NULL, updated_at bigint NOT NULL, revision bigint NOT NULL)
    """,
    "CREATE SEQUENCE alert_revision",
    "CREATE INDEX alerts_last_time ON alerts (last_time DESC, id DESC)",
    "CREATE INDEX alerts_status ON alerts (status, last_time DESC, id DESC)",
    "CREATE INDEX alerts_revision ON alerts (revision)",
    "CREATE TABLE detection_state (consumer text PRIMARY KEY, state bytea NOT NULL, updated_at bigint NOT NULL)",
    """
    CREATE TABLE notifications (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, alert_id text NOT NULL, notifier text NOT NULL,
      action text NOT NULL, state text NOT NULL DEFAULT 'pending', attempts integer NOT NULL DEFAULT 0,
      next_attempt_at bigint NOT NULL, created_at bigint NOT NULL, delivered_at bigint, last_error text,
      last_error_at bigint)
    """,
    "CREATE INDEX notifications_due ON notifications (state, next_attempt_at)",
    "CREATE INDEX notifications_alert ON notifications (alert_id)",
  ]

  static let alertColumns = """
    id, rule, title, severity, grouping, group_fields, period, first_time, last_time, count, evidence_sequences, \
    evidence_uuids, status, status_by, status_note, status_at, created_at, updated_at, revision
    """

  package func commitDetection(
    _ alerts: [AlertRecord], progress: DetectionProgress?, notify: [String: [String]], at time: Timestamp,
    fence: LeaseClaim?
  ) async throws(StoreError) -> [String] {
    let logger = self.logger
    return try await transaction { connection in
      try await Self.checkClaim(fence, on: connection, logger: logger)
      try await connection.execute("SELECT pg_advisory_xact_lock(\(Self.alertsLock))", logger: logger)
      let now = FieldValue.nanoseconds(time)
      var created: [String] = []
      for alert in alerts {
        let id = alert.id.withoutNUL
        var binds = Self.detectionBinds(alert)
        binds.append(now)
        // Detection's new value; the status and its history stay as people left them.
        let rows = try await connection.rows(
          """
          INSERT INTO alerts (id, rule, title, severity, severity_rank, grouping, group_fields, period, first_time,
            last_time, count, evidence_sequences, evidence_uuids, created_at, updated_at, revision)
          VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14, nextval('alert_revision'))
          ON CONFLICT (id) DO UPDATE SET title = excluded.title, severity = excluded.severity,
            severity_rank = excluded.severity_rank, grouping = excluded.grouping, group_fields = excluded.group_fields,
            first_time = excluded.first_time, last_time = excluded.last_time, count = excluded.count,
            evidence_sequences = excluded.evidence_sequences, evidence_uuids = excluded.evidence_uuids,
            updated_at = excluded.updated_at, revision = excluded.revision
          RETURNING (xmax = 0)
          """, binds, logger: logger)
        guard try rows.first?[0].decode(Bool.self) == true else { continue }
        created.append(alert.id)
        for notifier in notify[alert.id] ?? [] {
          try await Self.enqueue(id, notifier: notifier, action: .trigger, at: now, on: connection, logger: logger)
        }
      }
      if let progress {
        var binds = PostgresBindings()
        binds.append(progress.consumer.withoutNUL)
        binds.append(ByteBuffer(bytes: progress.state))
        binds.append(now)
        binds.append(progress.sequence)
        try await connection.execute(
          """
          INSERT INTO detection_state (consumer, state, updated_at) VALUES ($1, $2, $3)
          ON CONFLICT (consumer) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at
          """, binds, logger: logger)
        try await connection.execute(
          """
          INSERT INTO consumers (name, sequence, updated_at) VALUES ($1, $4, $3)
          ON CONFLICT (name) DO UPDATE SET sequence = excluded.sequence, updated_at = excluded.updated_at
          """, binds, logger: logger)
      }
      return created
    }
  }

  package func detectionState(_ consumer: String) async throws(StoreError) -> (state: [UInt8], sequence: Int64)? {
    var bind = Binder()
    let rows = try await rows(
      """
      SELECT d.state, c.sequence FROM detection_state d JOIN consumers c ON c.name = d.consumer
      WHERE d.consumer = \(bind(consumer))
      """, bind.binds)
    guard let row = rows.first else { return nil }
    do {
      return (Array(try row[0].decode(ByteBuffer.self).readableBytesView), try row[1].decode(Int64.self))
    } catch {
      throw storeError(error)
    }
  }

  package func alerts(_ query: AlertQuery) async throws(StoreError) -> [AlertRecord] {
    var bind = Binder()
    let filter = Self.filter(query, &bind)
    return try await records(
      "SELECT \(Self.alertColumns) FROM alerts\(filter) ORDER BY last_time DESC, id DESC "
        + "LIMIT \(bind(Int64(max(0, query.limit))))", bind.binds)
  }

  package func alert(_ id: String) async throws(StoreError) -> AlertRecord? {
    var bind = Binder()
    return try await records("SELECT \(Self.alertColumns) FROM alerts WHERE id = \(bind(id))", bind.binds).first
  }

  package func alertCount(_ query: AlertQuery) async throws(StoreError) -> Int {
    var bind = Binder()
    let rows = try await rows("SELECT count(*) FROM alerts\(Self.filter(query, &bind))", bind.binds)
    return Int((try? rows.first?[0].decode(Int64.self)) ?? 0)
  }

  package func alertChanges(after revision: Int64, limit: Int) async throws(StoreError) -> [AlertRecord] {
    var bind = Binder()
    return try await records(
      "SELECT \(Self.alertColumns) FROM alerts WHERE revision > \(bind(revision)) ORDER BY revision "
        + "LIMIT \(bind(Int64(max(0, limit))))", bind.binds)
  }

  package func updateStatus(_ id: String, to status: AlertStatus, by who: String, note: String?, at time: Timestamp)
    async throws(StoreError) -> AlertRecord?
  {
    let logger = self.logger
    let now = FieldValue.nanoseconds(time)
    let changed: Bool? = try await transaction { connection in
      try await connection.execute("SELECT pg_advisory_xact_lock(\(Self.alertsLock))", logger: logger)
      var binds = PostgresBindings()
      binds.append(id)
      guard
        let previous = try await connection.rows(
          "SELECT status FROM alerts WHERE id = $1 FOR UPDATE", binds, logger: logger
        ).first.map({ try $0[0].decode(String.self) })
      else { return nil }
      var update = PostgresBindings()
      update.append(status.rawValue)
      update.append(who.withoutNUL)
      update.append(note.map { String($0.prefix(4_000)).withoutNUL })
      update.append(now)
      update.append(id)
      try await connection.execute(
        """
        UPDATE alerts SET status = $1, status_by = $2, status_note = $3, status_at = $4, updated_at = $4,
        revision = nextval('alert_revision') WHERE id = $5
        """, update, logger: logger)
      guard previous != status.rawValue else { return false }
      let notifiers = try await connection.rows(
        """
        SELECT DISTINCT notifier FROM notifications WHERE alert_id = $1 AND action = 'trigger' ORDER BY notifier
        """, binds, logger: logger
      ).map { try $0[0].decode(String.self) }
      for notifier in notifiers {
        try await Self.enqueue(
          id, notifier: notifier, action: NotificationAction(status: status), at: now, on: connection, logger: logger)
      }
      return true
    }
    guard changed != nil else { return nil }
    return try await alert(id)
  }

  // MARK: - The outbox

  package func dueNotifications(at time: Timestamp, limit: Int) async throws(StoreError) -> [OutboxEntry] {
    var bind = Binder()
    return try await entries(
      """
      SELECT \(Self.outboxColumns) FROM notifications WHERE state = 'pending' \
      AND next_attempt_at <= \(bind(FieldValue.nanoseconds(time))) ORDER BY id LIMIT \(bind(Int64(max(0, limit))))
      """, bind.binds)
  }

  package func recordDelivery(_ id: Int64, outcome: DeliveryOutcome, at time: Timestamp) async throws(StoreError) {
    let now = FieldValue.nanoseconds(time)
    var bind = Binder()
    switch outcome {
    case .delivered:
      try await execute(
        "UPDATE notifications SET state = 'delivered', attempts = attempts + 1, delivered_at = \(bind(now)) "
          + "WHERE id = \(bind(id))", bind.binds)
    case .skipped:
      try await execute("UPDATE notifications SET state = 'skipped' WHERE id = \(bind(id))", bind.binds)
    case .retry(let error, let next):
      try await execute(
        """
        UPDATE notifications SET attempts = attempts + 1, next_attempt_at = \(bind(FieldValue.nanoseconds(next))), \
        last_error = \(bind(String(error.prefix(1_000)).withoutNUL)), last_error_at = \(bind(now)) \
        WHERE id = \(bind(id))
        """, bind.binds)
    case .failed(let error):
      try await execute(
        """
        UPDATE notifications SET state = 'failed', attempts = attempts + 1, \
        last_error = \(bind(String(error.prefix(1_000)).withoutNUL)), last_error_at = \(bind(now)) \
        WHERE id = \(bind(id))
        """, bind.binds)
    }
  }

  package func notificationSummary() async throws(StoreError) -> [NotifierSummary] {
    let rows = try await rows(
      """
      SELECT notifier, count(*) FILTER (WHERE state = 'pending'), count(*) FILTER (WHERE state = 'delivered'),
      count(*) FILTER (WHERE state = 'failed'), max(delivered_at), max(last_error_at),
      (SELECT last_error FROM notifications AS latest WHERE latest.notifier = notifications.notifier
        AND latest.last_error_at IS NOT NULL ORDER BY latest.last_error_at DESC, latest.id DESC LIMIT 1)
      FROM notifications GROUP BY notifier ORDER BY notifier
      """)
    do {
      return try rows.map { row in
        var summary = NotifierSummary(notifier: try row[0].decode(String.self))
        summary.pending = Int(try row[1].decode(Int64.self))
        summary.delivered = Int(try row[2].decode(Int64.self))
        summary.failed = Int(try row[3].decode(Int64.self))
        summary.lastDeliveredAt = try row[4].decode(Int64?.self).map(FieldValue.timestamp(nanoseconds:))
        summary.lastErrorAt = try row[5].decode(Int64?.self).map(FieldValue.timestamp(nanoseconds:))
        summary.lastError = try row[6].decode(String?.self)
        return summary
      }
    } catch {
      throw storeError(error)
    }
  }

  package func pruneNotifications(before time: Timestamp) async throws(StoreError) -> Int {
    var bind = Binder()
    let rows = try await rows(
      "WITH gone AS (DELETE FROM notifications WHERE state != 'pending' AND created_at < "
        + "\(bind(FieldValue.nanoseconds(time))) RETURNING 1) SELECT count(*) FROM gone", bind.binds)
    return Int((try? rows.first?[0].decode(Int64.self)) ?? 0)
  }

  package func notifications(alert id: String) async throws(StoreError) -> [OutboxEntry] {
    var bind = Binder()
    return try await entries(
      "SELECT \(Self.outboxColumns) FROM notifications WHERE alert_id = \(bind(id)) ORDER BY id", bind.binds)
  }

  // MARK: - Helpers

  /// Binds $1–$13: the alert's id and what detection decides about it (rule through evidence), in the
  /// column order of the alerts upserts here and in ``importAlerts(_:)``.
  static func detectionBinds(_ alert: AlertRecord) -> PostgresBindings {
    var binds = PostgresBindings()
    binds.append(alert.id.withoutNUL)
    binds.append(alert.rule.withoutNUL)
    binds.append(alert.title.withoutNUL)
    binds.append(alert.severity.rawValue)
    binds.append(Int32(Severity.allCases.firstIndex(of: alert.severity) ?? 0))
    binds.append(alert.group.map(\.withoutNUL))
    binds.append(alert.groupFields.map(\.withoutNUL))
    binds.append(alert.period)
    binds.append(alert.first)
    binds.append(alert.last)
    binds.append(Int64(alert.count))
    binds.append(alert.evidence.map(\.sequence))
    binds.append(alert.evidence.map(\.uuid.withoutNUL))
    return binds
  }

  static let outboxColumns =
    "id, alert_id, notifier, action, state, attempts, created_at, delivered_at, last_error, last_error_at"

  static func enqueue(
    _ alertID: String, notifier: String, action: NotificationAction, at now: Int64, on connection: PostgresConnection,
    logger: Logger
  ) async throws {
    var binds = PostgresBindings()
    binds.append(alertID)
    binds.append(notifier.withoutNUL)
    binds.append(action.rawValue)
    binds.append(now)
    try await connection.execute(
      "INSERT INTO notifications (alert_id, notifier, action, next_attempt_at, created_at) VALUES ($1, $2, $3, $4, $4)",
      binds, logger: logger)
  }

  static func filter(_ query: AlertQuery, _ bind: inout Binder) -> String {
    var conditions: [String] = []
    if let status = query.status { conditions.append("status = \(bind(status.rawValue))") }
    if let minimum = query.minimumSeverity {
      conditions.append("severity_rank >= \(bind(Int64(Severity.allCases.firstIndex(of: minimum) ?? 0)))")
    }
    if let since = query.since { conditions.append("last_time >= \(bind(since))") }
    if let rule = query.rule { conditions.append("rule = \(bind(rule))") }
    return conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND ")
  }

  private func records(_ sql: String, _ binds: PostgresBindings) async throws(StoreError) -> [AlertRecord] {
    let rows = try await rows(sql, binds)
    do {
      return try rows.map { row in
        let sequences = try row[10].decode([Int64].self)
        let uuids = try row[11].decode([String].self)
        var record = AlertRecord(
          id: try row[0].decode(String.self), rule: try row[1].decode(String.self),
          title: try row[2].decode(String.self),
          severity: Severity(rawValue: try row[3].decode(String.self)) ?? .medium,
          group: try row[4].decode([String].self), groupFields: try row[5].decode([String].self),
          period: try row[6].decode(Int64.self), first: try row[7].decode(Int64.self),
          last: try row[8].decode(Int64.self), count: Int(try row[9].decode(Int64.self)),
          evidence: zip(sequences, uuids).map { AlertEvidence(sequence: $0, uuid: $1) },
          at: FieldValue.timestamp(nanoseconds: try row[16].decode(Int64.self)))
        record.status = AlertStatus(rawValue: try row[12].decode(String.self)) ?? .open
        record.statusBy = try row[13].decode(String?.self)
        record.statusNote = try row[14].decode(String?.self)
        record.statusAt = try row[15].decode(Int64?.self).map(FieldValue.timestamp(nanoseconds:))
        record.updatedAt = FieldValue.timestamp(nanoseconds: try row[17].decode(Int64.self))
        record.revision = try row[18].decode(Int64.self)
        return record
      }
    } catch {
      throw storeError(error)
    }
  }

  private func entries(_ sql: String, _ binds: PostgresBindings) async throws(StoreError) -> [OutboxEntry] {
    let rows = try await rows(sql, binds)
    do {
      return try rows.map { row in
        var entry = OutboxEntry(
          id: try row[0].decode(Int64.self), alertID: try row[1].decode(String.self),
          notifier: try row[2].decode(String.self),
          action: NotificationAction(rawValue: try row[3].decode(String.self)) ?? .trigger,
          state: OutboxEntry.State(rawValue: try row[4].decode(String.self)) ?? .pending,
          attempts: Int(try row[5].decode(Int32.self)),
          createdAt: FieldValue.timestamp(nanoseconds: try row[6].decode(Int64.self)))
        entry.deliveredAt = try row[7].decode(Int64?.self).map(FieldValue.timestamp(nanoseconds:))
        entry.lastError = try row[8].decode(String?.self)
        entry.lastErrorAt = try row[9].decode(Int64?.self).map(FieldValue.timestamp(nanoseconds:))
        return entry
      }
    } catch {
      throw storeError(error)
    }
  }
}
