import VigilBase

/// When a notification is next due and how its last attempt went (the in-memory outbox's columns).
struct OutboxDetail: Sendable {
  var next: Timestamp
  var lastError: String?
  var lastErrorAt: Timestamp?
  var deliveredAt: Timestamp?
}

extension InMemoryEventStore {
  package func commitDetection(
    _ alerts: [AlertRecord], progress: DetectionProgress?, notify: [String: [String]], at time: Timestamp,
    fence: LeaseClaim?
  ) throws(StoreError) -> [String] {
    if let failure { throw failure }
    if let fence, !holds(fence) { throw .leaseLost(unit: fence.unit) }
    var created: [String] = []
    for alert in alerts {
      if let existing = alertRecords[alert.id] {
        alertRecords[alert.id] = existing.updated(by: alert)
        alertRecords[alert.id]?.revision = nextRevision()
      } else {
        alertRecords[alert.id] = alert
        alertRecords[alert.id]?.revision = nextRevision()
        created.append(alert.id)
        for notifier in notify[alert.id] ?? [] { enqueue(alert.id, notifier: notifier, action: .trigger, at: time) }
      }
    }
    if let progress {
      detectorStates[progress.consumer] = progress.state
      consumerPositions[progress.consumer] = progress.sequence
    }
    return created
  }

  package func detectionState(_ consumer: String) -> (state: [UInt8], sequence: Int64)? {
    guard let state = detectorStates[consumer], let sequence = consumerPositions[consumer] else { return nil }
    return (state, sequence)
  }

  package func alerts(_ query: AlertQuery) -> [AlertRecord] {
    Array(
      alertRecords.values.filter { $0.matches(query) }.sorted { ($0.last, $0.id) > ($1.last, $1.id) }
        .prefix(max(0, query.limit)))
  }

  package func alert(_ id: String) -> AlertRecord? { alertRecords[id] }

  package func alertCount(_ query: AlertQuery) -> Int { alertRecords.values.count { $0.matches(query) } }

  package func updateStatus(_ id: String, to status: AlertStatus, by who: String, note: String?, at time: Timestamp)
    -> AlertRecord?
  {
    guard var alert = alertRecords[id] else { return nil }
    let changed = alert.status != status
    alert.status = status
    alert.statusBy = who
    alert.statusNote = note
    alert.statusAt = time
    alert.updatedAt = time
    alert.revision = nextRevision()
    alertRecords[id] = alert
    if changed {
      let triggered = outbox.filter { $0.alertID == id && $0.action == .trigger }.map(\.notifier)
      for notifier in Set(triggered).sorted() {
        enqueue(id, notifier: notifier, action: NotificationAction(status: status), at: time)
      }
    }
    return alert
  }

  package func alertChanges(after revision: Int64, limit: Int) -> [AlertRecord] {
    Array(
      alertRecords.values.filter { $0.revision > revision }.sorted { $0.revision < $1.revision }.prefix(max(0, limit)))
  }

  private func nextRevision() -> Int64 {
    alertRevision += 1
    return alertRevision
  }

  private func enqueue(_ alertID: String, notifier: String, action: NotificationAction, at time: Timestamp) {
    outboxNextID += 1
    let id = outboxNextID
    outbox.append(OutboxEntry(id: id, alertID: alertID, notifier: notifier, action: action, createdAt: time))
    outboxDetails[id] = OutboxDetail(next: time)
  }

  package func dueNotifications(at time: Timestamp, limit: Int) -> [OutboxEntry] {
    Array(
      outbox.filter { $0.state == .pending && (outboxDetails[$0.id]?.next ?? time) <= time }.prefix(max(0, limit)))
  }

  package func recordDelivery(_ id: Int64, outcome: DeliveryOutcome, at time: Timestamp) {
    guard let index = outbox.firstIndex(where: { $0.id == id }), var detail = outboxDetails[id] else { return }
    outbox[index].attempts += outcome == .skipped ? 0 : 1
    switch outcome {
    case .delivered:
      outbox[index].state = .delivered
      detail.deliveredAt = time
    case .skipped:
      outbox[index].state = .skipped
    case .retry(let error, let next):
      detail.next = next
      detail.lastError = error
      detail.lastErrorAt = time
    case .failed(let error):
      outbox[index].state = .failed
      detail.lastError = error
      detail.lastErrorAt = time
    }
    outboxDetails[id] = detail
  }

  package func notificationSummary() -> [NotifierSummary] {
    var summaries: [String: NotifierSummary] = [:]
    for entry in outbox {
      var summary = summaries[entry.notifier] ?? NotifierSummary(notifier: entry.notifier)
      let detail = outboxDetails[entry.id]
      switch entry.state {
      case .pending: summary.pending += 1
      case .delivered: summary.delivered += 1
      case .failed: summary.failed += 1
      case .skipped: break
      }
      if let delivered = detail?.deliveredAt, summary.lastDeliveredAt.map({ delivered > $0 }) ?? true {
        summary.lastDeliveredAt = delivered
      }
      if let at = detail?.lastErrorAt, summary.lastErrorAt.map({ at >= $0 }) ?? true {
        summary.lastErrorAt = at
        summary.lastError = detail?.lastError
      }
      summaries[entry.notifier] = summary
    }
    return summaries.keys.sorted().compactMap { summaries[$0] }
  }

  package func notifications(alert id: String) -> [OutboxEntry] {
    outbox.filter { $0.alertID == id }.map { entry in
      var entry = entry
      let detail = outboxDetails[entry.id]
      entry.deliveredAt = detail?.deliveredAt
      entry.lastError = detail?.lastError
      entry.lastErrorAt = detail?.lastErrorAt
      return entry
    }
  }

  package func pruneNotifications(before time: Timestamp) -> Int {
    let before = outbox.count
    outbox.removeAll { $0.state != .pending && $0.createdAt < time }
    return before - outbox.count
  }
}
