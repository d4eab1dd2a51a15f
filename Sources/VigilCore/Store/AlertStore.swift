import VigilBase

/// Where an alert stands with the people handling it.
package enum AlertStatus: String, CaseIterable, Sendable, Hashable, Codable {
  case open, acknowledged, closed
}

/// One evidence event of an alert: where it is in the log, and its uuid.
package struct AlertEvidence: Hashable, Sendable, Codable {
  package var sequence: Int64
  package var uuid: String

  package init(sequence: Int64, uuid: String) {
    self.sequence = sequence
    self.uuid = uuid
  }
}

/// An alert as the store keeps it: detection's current value of it, and its handling (which
/// detection's updates never change).
package struct AlertRecord: Hashable, Sendable {
  /// Stable across updates: the rule, the suppression period and the group.
  package var id: String
  package var rule: String
  package var title: String
  package var severity: Severity
  /// The account first, then the values of the rule's `group_by` fields, named by `groupFields`.
  package var group: [String]
  package var groupFields: [String]
  /// Start of the suppression period, nanoseconds.
  package var period: Int64
  /// Earliest and latest evidence event time, nanoseconds.
  package var first: Int64
  package var last: Int64
  package var count: Int
  package var evidence: [AlertEvidence]
  package var status: AlertStatus = .open
  package var statusBy: String?
  package var statusNote: String?
  package var statusAt: Timestamp?
  /// When the store first saw it, and last changed it.
  package var createdAt: Timestamp
  package var updatedAt: Timestamp
  /// Grows with every change the store makes to any alert (detection's updates and status changes):
  /// forwarders tail alerts by it, as they tail events by sequence. 0 until stored.
  package var revision: Int64 = 0

  package init(
    id: String, rule: String, title: String, severity: Severity, group: [String], groupFields: [String],
    period: Int64, first: Int64, last: Int64, count: Int, evidence: [AlertEvidence], at time: Timestamp
  ) {
    self.id = id
    self.rule = rule
    self.title = title
    self.severity = severity
    self.group = group
    self.groupFields = groupFields
    self.period = period
    self.first = first
    self.last = last
    self.count = count
    self.evidence = evidence
    createdAt = time
    updatedAt = time
  }
}

/// Which alerts to list, newest last event first.
package struct AlertQuery: Hashable, Sendable {
  package var status: AlertStatus?
  package var minimumSeverity: Severity?
  /// Only alerts whose last evidence is at or after this time (nanoseconds).
  package var since: Int64?
  package var rule: String?
  package var limit = 100

  package init() {}
}

/// A detector's state and how far in the log it has judged.
package struct DetectionProgress: Hashable, Sendable {
  package var consumer: String
  package var state: [UInt8]
  package var sequence: Int64

  package init(consumer: String, state: [UInt8], sequence: Int64) {
    self.consumer = consumer
    self.state = state
    self.sequence = sequence
  }
}

/// Alerts as a store role: detection commits its progress here; people list and handle alerts.
package protocol AlertStore: Sendable {
  /// Detection's progress in one transaction: the alerts it created or changed (upserted by id; the
  /// status of an existing alert is kept) and, when given, the detector's state with its checkpoint.
  /// Alert updates are idempotent, so they may be committed more often than the state: after a restart
  /// the events since the last state are judged again and give the same alerts. Returns the ids of the
  /// alerts that did not exist before. Each of those gets a `trigger` notification in the outbox for
  /// every notifier that `notify` names for its id, in the same transaction. With a `fence`, the
  /// transaction commits only while that claim is its unit's live lease (else
  /// ``StoreError/leaseLost(unit:)`` and nothing changes).
  func commitDetection(
    _ alerts: [AlertRecord], progress: DetectionProgress?, notify: [String: [String]], at time: Timestamp,
    fence: LeaseClaim?
  ) async throws(StoreError) -> [String]

  /// The state last committed for `consumer`, with its checkpoint; nil when it never committed.
  func detectionState(_ consumer: String) async throws(StoreError) -> (state: [UInt8], sequence: Int64)?

  func alerts(_ query: AlertQuery) async throws(StoreError) -> [AlertRecord]

  func alert(_ id: String) async throws(StoreError) -> AlertRecord?

  /// How many alerts `query` selects (its limit aside).
  func alertCount(_ query: AlertQuery) async throws(StoreError) -> Int

  /// Alerts changed after `revision`, in the order of their latest change (each alert once, at its
  /// newest revision): the alert stream that forwarders send.
  func alertChanges(after revision: Int64, limit: Int) async throws(StoreError) -> [AlertRecord]

  /// Acknowledges, closes or reopens an alert; nil when there is no such alert. A change of status
  /// adds its notification (acknowledge, resolve or trigger) for every notifier the alert was
  /// triggered on, in the same transaction.
  func updateStatus(_ id: String, to status: AlertStatus, by who: String, note: String?, at time: Timestamp)
    async throws(StoreError) -> AlertRecord?
}

extension AlertStore {
  /// Commits detection's progress with no notifications, unfenced.
  package func commitDetection(_ alerts: [AlertRecord], progress: DetectionProgress?, at time: Timestamp)
    async throws(StoreError) -> [String]
  {
    try await commitDetection(alerts, progress: progress, notify: [:], at: time, fence: nil)
  }

  /// Commits detection's progress, unfenced (one process, or a copy such as `vigil migrate`).
  package func commitDetection(
    _ alerts: [AlertRecord], progress: DetectionProgress?, notify: [String: [String]], at time: Timestamp
  ) async throws(StoreError) -> [String] {
    try await commitDetection(alerts, progress: progress, notify: notify, at: time, fence: nil)
  }
}

extension AlertRecord {
  /// Whether `query` selects this alert.
  package func matches(_ query: AlertQuery) -> Bool {
    if let status = query.status, status != self.status { return false }
    if let minimum = query.minimumSeverity, severity < minimum { return false }
    if let since = query.since, last < since { return false }
    if let rule = query.rule, rule != self.rule { return false }
    return true
  }

  /// Detection's new value of this alert, keeping how people handled it.
  package func updated(by newer: AlertRecord) -> AlertRecord {
    var merged = newer
    merged.status = status
    merged.statusBy = statusBy
    merged.statusNote = statusNote
    merged.statusAt = statusAt
    merged.createdAt = createdAt
    merged.revision = revision
    return merged
  }
}
