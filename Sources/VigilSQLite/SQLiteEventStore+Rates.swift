import GRDB
import VigilBase
import VigilCore

/// Each account's request budget, one row per account, replaced by its collector.
extension SQLiteEventStore {
  static let createRateTable = """
    CREATE TABLE rate_budgets (
      account TEXT PRIMARY KEY, used_minute INTEGER NOT NULL, used_hour INTEGER NOT NULL,
      limit_minute INTEGER NOT NULL, limit_hour INTEGER NOT NULL, server_remaining INTEGER, held_until INTEGER,
      recorded_at INTEGER NOT NULL
    ) WITHOUT ROWID
    """

  package func recordRate(_ status: RateStatus) async throws(StoreError) {
    try await write { db in
      try db.execute(
        sql: """
          INSERT OR REPLACE INTO rate_budgets (account, used_minute, used_hour, limit_minute, limit_hour,
            server_remaining, held_until, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          status.account, status.usedLastMinute, status.usedLastHour, status.limitPerMinute, status.limitPerHour,
          status.serverRemaining, status.heldUntil.map(FieldValue.nanoseconds),
          FieldValue.nanoseconds(status.recordedAt),
        ])
    }
  }

  package func rateStatuses() async throws(StoreError) -> [RateStatus] {
    try await read { db in
      try Row.fetchAll(db, sql: "SELECT * FROM rate_budgets ORDER BY account").map { row in
        RateStatus(
          account: row["account"], usedLastMinute: row["used_minute"], usedLastHour: row["used_hour"],
          limitPerMinute: row["limit_minute"], limitPerHour: row["limit_hour"],
          serverRemaining: row["server_remaining"],
          heldUntil: (row["held_until"] as Int64?).map(FieldValue.timestamp(nanoseconds:)),
          recordedAt: FieldValue.timestamp(nanoseconds: row["recorded_at"]))
      }
    }
  }
}
