import GRDB
import VigilBase
import VigilCore

/// Leases (schema 10). One machine's clock serves every process that opens this file.
extension SQLiteEventStore: LeaseStore {
  static let createLeaseTables = """
    CREATE TABLE leases (
      unit TEXT PRIMARY KEY, holder TEXT NOT NULL, epoch INTEGER NOT NULL, acquired_at INTEGER NOT NULL,
      expires_at INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE lease_history (
      epoch INTEGER PRIMARY KEY, unit TEXT NOT NULL, holder TEXT NOT NULL, from_at INTEGER NOT NULL, until_at INTEGER
    );
    CREATE INDEX lease_history_unit ON lease_history (unit, epoch);
    """

  package func acquireLease(_ unit: String, holder: String, seconds: Double) async throws(StoreError) -> LeaseClaim? {
    try await write { db in
      let now = FieldValue.nanoseconds(SystemClock().now)
      let expires = now + Int64(seconds * 1e9)
      if let row = try Row.fetchOne(
        db, sql: "SELECT holder, epoch, expires_at FROM leases WHERE unit = ?", arguments: [unit])
      {
        let (current, epoch, until): (String, Int64, Int64) = (row[0], row[1], row[2])
        if until > now {
          guard current == holder else { return nil }
          try db.execute(sql: "UPDATE leases SET expires_at = ? WHERE unit = ?", arguments: [expires, unit])
          return LeaseClaim(unit: unit, holder: holder, epoch: epoch)
        }
        try db.execute(
          sql: "UPDATE lease_history SET until_at = ? WHERE epoch = ? AND until_at IS NULL", arguments: [until, epoch])
      }
      let epoch = (try Int64.fetchOne(db, sql: "SELECT max(epoch) FROM lease_history") ?? 0) + 1
      try db.execute(
        sql: "INSERT OR REPLACE INTO leases (unit, holder, epoch, acquired_at, expires_at) VALUES (?, ?, ?, ?, ?)",
        arguments: [unit, holder, epoch, now, expires])
      try db.execute(
        sql: "INSERT INTO lease_history (epoch, unit, holder, from_at) VALUES (?, ?, ?, ?)",
        arguments: [epoch, unit, holder, now])
      return LeaseClaim(unit: unit, holder: holder, epoch: epoch)
    }
  }

  package func releaseLease(_ claim: LeaseClaim) async throws(StoreError) {
    try await write { db in
      let now = FieldValue.nanoseconds(SystemClock().now)
      try db.execute(
        sql: "UPDATE leases SET expires_at = ? WHERE unit = ? AND epoch = ? AND expires_at > ?",
        arguments: [now, claim.unit, claim.epoch, now])
      try db.execute(
        sql: "UPDATE lease_history SET until_at = ? WHERE epoch = ? AND until_at IS NULL",
        arguments: [now, claim.epoch])
    }
  }

  package func leases() async throws(StoreError) -> [Lease] {
    try await read { db in
      let now = FieldValue.nanoseconds(SystemClock().now)
      return try Row.fetchAll(
        db, sql: "SELECT unit, holder, epoch, acquired_at, expires_at FROM leases ORDER BY unit"
      ).map { row in
        Lease(
          unit: row[0], holder: row[1], epoch: row[2], acquiredAt: FieldValue.timestamp(nanoseconds: row[3]),
          expiresAt: FieldValue.timestamp(nanoseconds: row[4]), isLive: (row[4] as Int64) > now)
      }
    }
  }

  package func leaseHistory(_ unit: String?) async throws(StoreError) -> [LeaseSpan] {
    try await read { db in
      try Row.fetchAll(
        db,
        sql: "SELECT unit, holder, epoch, from_at, until_at FROM lease_history WHERE ? IS NULL OR unit = ? "
          + "ORDER BY epoch", arguments: [unit, unit]
      ).map { row in
        LeaseSpan(
          unit: row[0], holder: row[1], epoch: row[2], from: FieldValue.timestamp(nanoseconds: row[3]),
          until: (row[4] as Int64?).map(FieldValue.timestamp(nanoseconds:)))
      }
    }
  }

  /// Throws unless `claim` is its unit's live lease (inside a commit's transaction).
  static func checkClaim(_ claim: LeaseClaim?, db: Database) throws {
    guard let claim else { return }
    let live = try Bool.fetchOne(
      db, sql: "SELECT 1 FROM leases WHERE unit = ? AND holder = ? AND epoch = ? AND expires_at > ?",
      arguments: [claim.unit, claim.holder, claim.epoch, FieldValue.nanoseconds(SystemClock().now)])
    if live != true { throw StoreError.leaseLost(unit: claim.unit) }
  }
}
