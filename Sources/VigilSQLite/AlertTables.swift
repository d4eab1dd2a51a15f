import Foundation
import GRDB
import VigilBase
import VigilCore
import VigilJSON

/// The alerts table and the detector's state. An alert's group, group field names and evidence are
/// stored as JSON arrays (they are read whole, never searched inside).
enum AlertTables {
  static let create = """
    CREATE TABLE alerts (
      id TEXT PRIMARY KEY, rule TEXT NOT NULL, title TEXT NOT NULL, severity TEXT NOT NULL,
      severity_rank INTEGER NOT NULL, grouping TEXT NOT NULL, group_fields TEXT NOT NULL,
      period INTEGER NOT NULL, first_time INTEGER NOT NULL, last_time INTEGER NOT NULL, count INTEGER NOT NULL,
      evidence TEXT NOT NULL, status TEXT NOT NULL DEFAULT 'open', status_by TEXT, status_note TEXT,
      status_at INTEGER, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL
    ) WITHOUT ROWID;
    CREATE INDEX alerts_last_time ON alerts (last_time);
    CREATE INDEX alerts_status ON alerts (status, last_time);
    CREATE TABLE detection_state (consumer TEXT PRIMARY KEY, state BLOB NOT NULL, updated_at INTEGER NOT NULL)
      WITHOUT ROWID;
    """

  static let columns =
    "id, rule, title, severity, grouping, group_fields, period, first_time, last_time, count, evidence, status, "
    + "status_by, status_note, status_at, created_at, updated_at, revision"

  /// The WHERE clause (with its leading space, or empty) and arguments that select `query`'s alerts.
  static func filter(_ query: AlertQuery) -> (String, [(any DatabaseValueConvertible)?]) {
    var conditions: [String] = []
    var arguments: [(any DatabaseValueConvertible)?] = []
    if let status = query.status {
      conditions.append("status = ?")
      arguments.append(status.rawValue)
    }
    if let minimum = query.minimumSeverity {
      conditions.append("severity_rank >= ?")
      arguments.append(rank(minimum))
    }
    if let since = query.since {
      conditions.append("last_time >= ?")
      arguments.append(since)
    }
    if let rule = query.rule {
      conditions.append("rule = ?")
      arguments.append(rule)
    }
    return (conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND "), arguments)
  }

  static func rank(_ severity: Severity) -> Int { Severity.allCases.firstIndex(of: severity) ?? 0 }

  static func json(_ strings: [String]) -> String {
    String(decoding: (try? JSONEncoder().encode(strings)) ?? Data("[]".utf8), as: UTF8.self)
  }

  static func strings(_ text: String) -> [String] {
    guard let document = try? JSONDocument(text) else { return [] }
    return document.root.elements.compactMap(\.string)
  }

  /// Evidence as ``evidenceJSON(_:)`` wrote it (read with Vigil's JSON reader: alert lists read many).
  static func evidence(_ text: String) -> [AlertEvidence] {
    guard let document = try? JSONDocument(text) else { return [] }
    return document.root.elements.compactMap { item in
      guard let sequence = item["sequence"]?.int, let uuid = item["uuid"]?.string else { return nil }
      return AlertEvidence(sequence: Int64(sequence), uuid: uuid)
    }
  }

  static func evidenceJSON(_ evidence: [AlertEvidence]) -> String {
    String(decoding: (try? JSONEncoder().encode(evidence)) ?? Data("[]".utf8), as: UTF8.self)
  }

  /// An alert from a row selected with ``columns``, read by position: GRDB's lookup by name lower-cases
  /// every column name on every read, which dominated listing alerts.
  static func record(_ row: Row) -> AlertRecord {
    let severity = Severity(rawValue: row[3]) ?? .medium
    var record = AlertRecord(
      id: row[0], rule: row[1], title: row[2], severity: severity, group: strings(row[4]),
      groupFields: strings(row[5]), period: row[6], first: row[7], last: row[8], count: row[9],
      evidence: evidence(row[10]),
      at: FieldValue.timestamp(nanoseconds: row[15]))
    record.status = AlertStatus(rawValue: row[11]) ?? .open
    record.statusBy = row[12]
    record.statusNote = row[13]
    record.statusAt = (row[14] as Int64?).map { FieldValue.timestamp(nanoseconds: $0) }
    record.updatedAt = FieldValue.timestamp(nanoseconds: row[16])
    record.revision = row[17]
    return record
  }
}

extension SQLiteEventStore: AlertStore {
  package func commitDetection(
    _ alerts: [AlertRecord], progress: DetectionProgress?, notify: [String: [String]], at time: Timestamp,
    fence: LeaseClaim?
  ) async throws(StoreError) -> [String] {
    try await write { db in
      try Self.checkClaim(fence, db: db)
      var created: [String] = []
      let now = FieldValue.nanoseconds(time)
      for alert in alerts {
        let exists = try Bool.fetchOne(db, sql: "SELECT 1 FROM alerts WHERE id = ?", arguments: [alert.id]) ?? false
        if exists {
          // Detection's new value; the status and its history stay as people left them.
          try db.execute(
            sql: """
              UPDATE alerts SET title = ?, severity = ?, severity_rank = ?, grouping = ?, group_fields = ?,
              first_time = ?, last_time = ?, count = ?, evidence = ?, updated_at = ?,
              revision = (SELECT COALESCE(MAX(revision), 0) + 1 FROM alerts) WHERE id = ?
              """,
            arguments: [
              alert.title, alert.severity.rawValue, AlertTables.rank(alert.severity), AlertTables.json(alert.group),
              AlertTables.json(alert.groupFields), alert.first, alert.last, alert.count,
              AlertTables.evidenceJSON(alert.evidence), now, alert.id,
            ])
        } else {
          try db.execute(
            sql: """
              INSERT INTO alerts (id, rule, title, severity, severity_rank, grouping, group_fields, period,
              first_time, last_time, count, evidence, status, created_at, updated_at, revision)
              VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?,
              (SELECT COALESCE(MAX(revision), 0) + 1 FROM alerts))
              """,
            arguments: [
              alert.id, alert.rule, alert.title, alert.severity.rawValue, AlertTables.rank(alert.severity),
              AlertTables.json(alert.group), AlertTables.json(alert.groupFields), alert.period, alert.first,
              alert.last, alert.count, AlertTables.evidenceJSON(alert.evidence), now, now,
            ])
          created.append(alert.id)
          for notifier in notify[alert.id] ?? [] {
            try NotificationTables.enqueue(alert.id, notifier: notifier, action: .trigger, at: now, db: db)
          }
        }
      }
      if let progress {
        try db.execute(
          sql: """
            INSERT INTO detection_state (consumer, state, updated_at) VALUES (?, ?, ?)
            ON CONFLICT (consumer) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at
            """, arguments: [progress.consumer, Data(progress.state), now])
        try db.execute(
          sql: """
            INSERT INTO consumers (name, sequence, updated_at) VALUES (?, ?, ?)
            ON CONFLICT (name) DO UPDATE SET sequence = excluded.sequence, updated_at = excluded.updated_at
            """, arguments: [progress.consumer, progress.sequence, now])
      }
      return created
    }
  }

  package func detectionState(_ consumer: String) async throws(StoreError) -> (state: [UInt8], sequence: Int64)? {
    let found: DetectorRow? = try await read { db in
      guard
        let row = try Row.fetchOne(
          db,
          sql: """
            SELECT detection_state.state AS state, consumers.sequence AS sequence FROM detection_state
            JOIN consumers ON consumers.name = detection_state.consumer WHERE detection_state.consumer = ?
            """, arguments: [consumer])
      else { return nil }
      return DetectorRow(state: Array(row["state"] as Data), sequence: row["sequence"])
    }
    return found.map { ($0.state, $0.sequence) }
  }

  package func alerts(_ query: AlertQuery) async throws(StoreError) -> [AlertRecord] {
    try await read { db in
      let (filter, arguments) = AlertTables.filter(query)
      return try Row.fetchAll(
        db, sql: "SELECT \(AlertTables.columns) FROM alerts\(filter) ORDER BY last_time DESC, id DESC LIMIT ?",
        arguments: StatementArguments(arguments + [max(0, query.limit)])
      ).map(AlertTables.record)
    }
  }

  package func alertCount(_ query: AlertQuery) async throws(StoreError) -> Int {
    try await read { db in
      let (filter, arguments) = AlertTables.filter(query)
      return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM alerts\(filter)", arguments: StatementArguments(arguments))
        ?? 0
    }
  }

  package func alertChanges(after revision: Int64, limit: Int) async throws(StoreError) -> [AlertRecord] {
    try await read { db in
      try Row.fetchAll(
        db, sql: "SELECT \(AlertTables.columns) FROM alerts WHERE revision > ? ORDER BY revision LIMIT ?",
        arguments: [revision, max(0, limit)]
      ).map(AlertTables.record)
    }
  }

  package func alert(_ id: String) async throws(StoreError) -> AlertRecord? {
    try await read { db in
      try Row.fetchOne(db, sql: "SELECT \(AlertTables.columns) FROM alerts WHERE id = ?", arguments: [id])
        .map(AlertTables.record)
    }
  }

  package func updateStatus(_ id: String, to status: AlertStatus, by who: String, note: String?, at time: Timestamp)
    async throws(StoreError) -> AlertRecord?
  {
    try await write { db in
      let now = FieldValue.nanoseconds(time)
      let previous = try String.fetchOne(db, sql: "SELECT status FROM alerts WHERE id = ?", arguments: [id])
      try db.execute(
        sql: """
          UPDATE alerts SET status = ?, status_by = ?, status_note = ?, status_at = ?, updated_at = ?,
          revision = (SELECT COALESCE(MAX(revision), 0) + 1 FROM alerts) WHERE id = ?
          """, arguments: [status.rawValue, who, note.map { String($0.prefix(4_000)) }, now, now, id])
      if let previous, previous != status.rawValue {
        let notifiers = try String.fetchAll(
          db,
          sql:
            "SELECT DISTINCT notifier FROM notifications WHERE alert_id = ? AND action = 'trigger' ORDER BY notifier",
          arguments: [id])
        for notifier in notifiers {
          try NotificationTables.enqueue(
            id, notifier: notifier, action: NotificationAction(status: status), at: now, db: db)
        }
      }
      return try Row.fetchOne(db, sql: "SELECT \(AlertTables.columns) FROM alerts WHERE id = ?", arguments: [id])
        .map(AlertTables.record)
    }
  }
}

private struct DetectorRow: Sendable {
  var state: [UInt8]
  var sequence: Int64
}
