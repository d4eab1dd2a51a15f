import Logging
import PostgresNIO
import VigilBase
import VigilCore

/// Leases on PostgreSQL's clock: every host agrees on when a lease ends, whatever its own clock says.
/// A commit that carries a claim reads the lease `FOR SHARE`, so a takeover waits for that commit to
/// end and then reads the cursor it left.
extension PostgresEventStore: LeaseStore {
  static let leaseTables = [
    "CREATE SEQUENCE lease_epoch",
    """
    CREATE TABLE leases (
      unit text PRIMARY KEY, holder text NOT NULL, epoch bigint NOT NULL, acquired_at bigint NOT NULL,
      expires_at bigint NOT NULL)
    """,
    """
    CREATE TABLE lease_history (
      epoch bigint PRIMARY KEY, unit text NOT NULL, holder text NOT NULL, from_at bigint NOT NULL, until_at bigint)
    """,
    "CREATE INDEX lease_history_unit ON lease_history (unit, epoch)",
  ]

  /// The server's time in nanoseconds.
  static let serverNow = "(extract(epoch FROM clock_timestamp()) * 1000000000)::bigint"

  package func acquireLease(_ unit: String, holder: String, seconds: Double) async throws(StoreError) -> LeaseClaim? {
    let logger = self.logger
    let span = Int64(seconds * 1e9)
    return try await transaction { connection in
      var key = PostgresBindings()
      key.append(unit)
      let found = try await connection.rows(
        "SELECT holder, epoch, expires_at, \(Self.serverNow) FROM leases WHERE unit = $1 FOR UPDATE", key,
        logger: logger
      ).first
      if let found {
        let (current, epoch, until, now) = (
          try found[0].decode(String.self), try found[1].decode(Int64.self), try found[2].decode(Int64.self),
          try found[3].decode(Int64.self)
        )
        if until > now {
          guard current == holder else { return nil }
          var renew = PostgresBindings()
          renew.append(now + span)
          renew.append(unit)
          try await connection.execute("UPDATE leases SET expires_at = $1 WHERE unit = $2", renew, logger: logger)
          return LeaseClaim(unit: unit, holder: holder, epoch: epoch)
        }
        var ended = PostgresBindings()
        ended.append(until)
        ended.append(epoch)
        try await connection.execute(
          "UPDATE lease_history SET until_at = $1 WHERE epoch = $2 AND until_at IS NULL", ended, logger: logger)
      }
      var take = PostgresBindings()
      take.append(unit)
      take.append(holder.withoutNUL)
      take.append(span)
      let taken = try await connection.rows(
        """
        WITH clock AS (SELECT \(Self.serverNow) AS now, nextval('lease_epoch') AS epoch)
        INSERT INTO leases (unit, holder, epoch, acquired_at, expires_at)
        SELECT $1, $2, epoch, now, now + $3 FROM clock
        ON CONFLICT (unit) DO UPDATE SET holder = excluded.holder, epoch = excluded.epoch,
          acquired_at = excluded.acquired_at, expires_at = excluded.expires_at
        WHERE leases.expires_at <= excluded.acquired_at
        RETURNING epoch, acquired_at
        """, take, logger: logger)
      // Another process inserted the unit's first lease a moment ago.
      guard let row = taken.first else { return nil }
      let epoch = try row[0].decode(Int64.self)
      var history = PostgresBindings()
      history.append(epoch)
      history.append(unit)
      history.append(holder.withoutNUL)
      history.append(try row[1].decode(Int64.self))
      try await connection.execute(
        "INSERT INTO lease_history (epoch, unit, holder, from_at) VALUES ($1, $2, $3, $4)", history, logger: logger)
      return LeaseClaim(unit: unit, holder: holder, epoch: epoch)
    }
  }

  package func releaseLease(_ claim: LeaseClaim) async throws(StoreError) {
    let logger = self.logger
    try await transaction { connection in
      var binds = PostgresBindings()
      binds.append(claim.unit)
      binds.append(claim.epoch)
      let released = try await connection.rows(
        """
        UPDATE leases SET expires_at = \(Self.serverNow) WHERE unit = $1 AND epoch = $2
        AND expires_at > \(Self.serverNow) RETURNING expires_at
        """, binds, logger: logger)
      guard let at = try released.first?[0].decode(Int64.self) else { return }
      var history = PostgresBindings()
      history.append(at)
      history.append(claim.epoch)
      try await connection.execute(
        "UPDATE lease_history SET until_at = $1 WHERE epoch = $2 AND until_at IS NULL", history, logger: logger)
    }
  }

  package func leases() async throws(StoreError) -> [Lease] {
    let rows = try await rows(
      "SELECT unit, holder, epoch, acquired_at, expires_at, expires_at > \(Self.serverNow) FROM leases ORDER BY unit")
    do {
      return try rows.map { row in
        Lease(
          unit: try row[0].decode(String.self), holder: try row[1].decode(String.self),
          epoch: try row[2].decode(Int64.self),
          acquiredAt: FieldValue.timestamp(nanoseconds: try row[3].decode(Int64.self)),
          expiresAt: FieldValue.timestamp(nanoseconds: try row[4].decode(Int64.self)),
          isLive: try row[5].decode(Bool.self))
      }
    } catch {
      throw storeError(error)
    }
  }

  package func leaseHistory(_ unit: String?) async throws(StoreError) -> [LeaseSpan] {
    var bind = Binder()
    let rows = try await rows(
      """
      SELECT unit, holder, epoch, from_at, until_at FROM lease_history \
      WHERE \(bind(unit))::text IS NULL OR unit = \(bind(unit)) ORDER BY epoch
      """, bind.binds)
    do {
      return try rows.map { row in
        LeaseSpan(
          unit: try row[0].decode(String.self), holder: try row[1].decode(String.self),
          epoch: try row[2].decode(Int64.self), from: FieldValue.timestamp(nanoseconds: try row[3].decode(Int64.self)),
          until: try row[4].decode(Int64?.self).map(FieldValue.timestamp(nanoseconds:)))
      }
    } catch {
      throw storeError(error)
    }
  }

  /// Throws unless `claim` is its unit's live lease; holds the lease row until the transaction ends.
  static func checkClaim(_ claim: LeaseClaim?, on connection: PostgresConnection, logger: Logger) async throws {
    guard let claim else { return }
    var binds = PostgresBindings()
    binds.append(claim.unit)
    binds.append(claim.holder)
    binds.append(claim.epoch)
    let live = try await connection.rows(
      """
      SELECT 1 FROM leases WHERE unit = $1 AND holder = $2 AND epoch = $3 AND expires_at > \(serverNow) FOR SHARE
      """, binds, logger: logger)
    if live.isEmpty { throw StoreError.leaseLost(unit: claim.unit) }
  }
}
