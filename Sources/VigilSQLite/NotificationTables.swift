import Foundation
import GRDB
import VigilBase
import VigilCore

/// The notification outbox: one row per notification, pending until a dispatcher records how its
/// delivery ended.
enum NotificationTables {
  static let create = """
    CREATE TABLE notifications (
      id INTEGER PRIMARY KEY AUTOINCREMENT, alert_id TEXT NOT NULL, notifier TEXT NOT NULL, action TEXT NOT NULL,
      state TEXT NOT NULL DEFAULT 'pending', attempts INTEGER NOT NULL DEFAULT 0, next_attempt_at INTEGER NOT NULL,
      created_at INTEGER NOT NULL, delivered_at INTEGER, last_error TEXT, last_error_at INTEGER
    );
    CREATE INDEX notifications_due ON notifications (state, next_attempt_at);
    CREATE INDEX notifications_alert ON notifications (alert_id);
    ALTER TABLE alerts ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
    UPDATE alerts SET revision = rowid_order.position FROM (
      SELECT id, ROW_NUMBER() OVER (ORDER BY updated_at, id) AS position FROM alerts
    ) AS rowid_order WHERE alerts.id = rowid_order.id;
    CREATE INDEX alerts_revision ON alerts (revision);
    """

  static let columns =
    "id, alert_id, notifier, action, state, attempts, created_at, delivered_at, last_error, last_error_at"

  static func enqueue(_ alertID: String, notifier: String, action: NotificationAction, at now: Int64, db: Database)
    throws
  {
    try db.execute(
      sql: """
        INSERT INTO notifications (alert_id, notifier, action, next_attempt_at, created_at) VALUES (?, ?, ?, ?, ?)
        """, arguments: [alertID, notifier, action.rawValue, now, now])
  }

  static func entry(_ row: Row) -> OutboxEntry {
    var entry = OutboxEntry(
      id: row["id"], alertID: row["alert_id"], notifier: row["notifier"],
      action: NotificationAction(rawValue: row["action"]) ?? .trigger,
      state: OutboxEntry.State(rawValue: row["state"]) ?? .pending, attempts: row["attempts"],
      createdAt: FieldValue.timestamp(nanoseconds: row["created_at"]))
    entry.deliveredAt = (row["delivered_at"] as Int64?).map(FieldValue.timestamp(nanoseconds:))
    entry.lastError = row["last_error"]
    entry.lastErrorAt = (row["last_error_at"] as Int64?).map(FieldValue.timestamp(nanoseconds:))
    return entry
  }

}

extension SQLiteEventStore: NotificationOutbox {
  package func dueNotifications(at time: Timestamp, limit: Int) async throws(StoreError) -> [OutboxEntry] {
    try await read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT \(NotificationTables.columns) FROM notifications WHERE state = 'pending' AND next_attempt_at <= ?
          ORDER BY id LIMIT ?
          """, arguments: [FieldValue.nanoseconds(time), max(0, limit)]
      ).map(NotificationTables.entry)
    }
  }

  package func recordDelivery(_ id: Int64, outcome: DeliveryOutcome, at time: Timestamp) async throws(StoreError) {
    let now = FieldValue.nanoseconds(time)
    try await write { db in
      switch outcome {
      case .delivered:
        try db.execute(
          sql: "UPDATE notifications SET state = 'delivered', attempts = attempts + 1, delivered_at = ? WHERE id = ?",
          arguments: [now, id])
      case .skipped:
        try db.execute(sql: "UPDATE notifications SET state = 'skipped' WHERE id = ?", arguments: [id])
      case .retry(let error, let next):
        try db.execute(
          sql: """
            UPDATE notifications SET attempts = attempts + 1, next_attempt_at = ?, last_error = ?, last_error_at = ?
            WHERE id = ?
            """, arguments: [FieldValue.nanoseconds(next), String(error.prefix(1_000)), now, id])
      case .failed(let error):
        try db.execute(
          sql: """
            UPDATE notifications SET state = 'failed', attempts = attempts + 1, last_error = ?, last_error_at = ?
            WHERE id = ?
            """, arguments: [String(error.prefix(1_000)), now, id])
      }
    }
  }

  package func notificationSummary() async throws(StoreError) -> [NotifierSummary] {
    try await read { db in
      let rows = try Row.fetchAll(
        db,
        sql: """
          SELECT notifier, SUM(state = 'pending') AS pending, SUM(state = 'delivered') AS delivered,
          SUM(state = 'failed') AS failed, MAX(delivered_at) AS last_delivered_at, MAX(last_error_at) AS last_error_at,
          (SELECT last_error FROM notifications AS latest WHERE latest.notifier = notifications.notifier
            AND latest.last_error_at IS NOT NULL ORDER BY latest.last_error_at DESC, latest.id DESC LIMIT 1) AS last_error
          FROM notifications GROUP BY notifier ORDER BY notifier
          """)
      return rows.map { row in
        var summary = NotifierSummary(notifier: row["notifier"])
        summary.pending = row["pending"] ?? 0
        summary.delivered = row["delivered"] ?? 0
        summary.failed = row["failed"] ?? 0
        summary.lastDeliveredAt = (row["last_delivered_at"] as Int64?).map { FieldValue.timestamp(nanoseconds: $0) }
        summary.lastErrorAt = (row["last_error_at"] as Int64?).map { FieldValue.timestamp(nanoseconds: $0) }
        summary.lastError = row["last_error"]
        return summary
      }
    }
  }

  package func pruneNotifications(before time: Timestamp) async throws(StoreError) -> Int {
    try await write { db in
      try db.execute(
        sql: "DELETE FROM notifications WHERE state != 'pending' AND created_at < ?",
        arguments: [FieldValue.nanoseconds(time)])
      return db.changesCount
    }
  }

  package func notifications(alert id: String) async throws(StoreError) -> [OutboxEntry] {
    try await read { db in
      try Row.fetchAll(
        db, sql: "SELECT \(NotificationTables.columns) FROM notifications WHERE alert_id = ? ORDER BY id",
        arguments: [id]
      ).map(NotificationTables.entry)
    }
  }
}
