import Logging
import NIOCore
import PostgresNIO
import VigilBase
import VigilCore
import VigilEventsAPIModel

/// `vigil migrate`'s destination side: the log and alerts with their original numbers.
extension PostgresEventStore: ImportStore {
  package func importEvents(_ events: [StoredEvent]) async throws(StoreError) -> Int {
    guard !events.isEmpty else { return 0 }
    let logger = self.logger
    return try await transaction { connection in
      // Numbers come from the source: nothing else may commit meanwhile (as retention does).
      try await connection.execute("SELECT pg_advisory_xact_lock(\(PostgresSchema.ingestLock))", logger: logger)
      let stored = try await Self.storedKeys(of: events.map(\.event), on: connection, logger: logger)
      let fresh = events.filter { !stored.contains(EventKey($0.event)) }
      guard let highest = fresh.map(\.sequence).max() else { return 0 }
      try await Self.makePartitions(for: fresh.map(\.event), on: connection, logger: logger)
      try await Self.insertKeys(fresh.map(\.event), sequences: fresh.map(\.sequence), on: connection, logger: logger)
      var rows = CopyRows(capacity: fresh.count * 2_048)
      var totals = RollupTotals()
      for stored in fresh {
        Self.write(stored.event, sequence: stored.sequence, into: &rows)
        totals.add(stored.event)
      }
      let bytes = rows.bytes
      try await connection.copy(bytes, into: "events", columns: PostgresSchema.columns, logger: logger)
      try await PostgresRollups.write(totals, on: connection, logger: logger)
      var binds = PostgresBindings()
      binds.append(highest)
      try await connection.execute(
        "SELECT setval('event_sequence', greatest($1, (SELECT last_value FROM event_sequence)))", binds,
        logger: logger)
      return fresh.count
    }
  }

  package func importStreamStates(_ states: [StreamState]) async throws(StoreError) {
    let logger = self.logger
    try await transaction { connection in
      for state in states { try await Self.save(state, on: connection, logger: logger) }
    }
  }

  package func importNotifications(_ entries: [OutboxEntry], pendingDueAt time: Timestamp) async throws(StoreError) {
    let logger = self.logger
    try await transaction { connection in
      try await connection.execute("DELETE FROM notifications", logger: logger)
      for entry in entries {
        var binds = PostgresBindings()
        binds.append(entry.alertID.withoutNUL)
        binds.append(entry.notifier.withoutNUL)
        binds.append(entry.action.rawValue)
        binds.append(entry.state.rawValue)
        binds.append(Int32(clamping: entry.attempts))
        binds.append(FieldValue.nanoseconds(entry.state == .pending ? time : entry.createdAt))
        binds.append(FieldValue.nanoseconds(entry.createdAt))
        binds.append(entry.deliveredAt.map(FieldValue.nanoseconds))
        binds.append(entry.lastError.map { String($0.prefix(1_000)).withoutNUL })
        binds.append(entry.lastErrorAt.map(FieldValue.nanoseconds))
        try await connection.execute(
          """
          INSERT INTO notifications (alert_id, notifier, action, state, attempts, next_attempt_at, created_at,
            delivered_at, last_error, last_error_at)
          VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
          """, binds, logger: logger)
      }
    }
  }

  package func importAlerts(_ alerts: [AlertRecord]) async throws(StoreError) {
    guard !alerts.isEmpty else { return }
    let logger = self.logger
    try await transaction { connection in
      try await connection.execute("SELECT pg_advisory_xact_lock(\(Self.alertsLock))", logger: logger)
      for alert in alerts {
        var binds = Self.detectionBinds(alert)
        binds.append(alert.status.rawValue)
        binds.append(alert.statusBy?.withoutNUL)
        binds.append(alert.statusNote?.withoutNUL)
        binds.append(alert.statusAt.map(FieldValue.nanoseconds))
        binds.append(FieldValue.nanoseconds(alert.createdAt))
        binds.append(FieldValue.nanoseconds(alert.updatedAt))
        binds.append(alert.revision)
        try await connection.execute(
          """
          INSERT INTO alerts (id, rule, title, severity, severity_rank, grouping, group_fields, period, first_time,
            last_time, count, evidence_sequences, evidence_uuids, status, status_by, status_note, status_at,
            created_at, updated_at, revision)
          VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)
          ON CONFLICT (id) DO UPDATE SET rule = excluded.rule, title = excluded.title, severity = excluded.severity,
            severity_rank = excluded.severity_rank, grouping = excluded.grouping, group_fields = excluded.group_fields,
            period = excluded.period, first_time = excluded.first_time, last_time = excluded.last_time,
            count = excluded.count, evidence_sequences = excluded.evidence_sequences,
            evidence_uuids = excluded.evidence_uuids, status = excluded.status, status_by = excluded.status_by,
            status_note = excluded.status_note, status_at = excluded.status_at, created_at = excluded.created_at,
            updated_at = excluded.updated_at, revision = excluded.revision
          """, binds, logger: logger)
      }
      try await connection.execute(
        "SELECT setval('alert_revision', greatest((SELECT max(revision) FROM alerts), "
          + "(SELECT last_value FROM alert_revision)))", logger: logger)
    }
  }
}
