import VigilBase
import VigilCore
import VigilDetectionService
import VigilEventsAPIModel

/// `vigil migrate`: copies a store into another (SQLite into PostgreSQL): events in log order with
/// their sequence numbers, each stream's cursor and counts, consumers' checkpoints, detection's state,
/// alerts and their notifications, sinks' positions and quarantines, request budgets and
/// enrichment statuses. Resumable: events continue after the destination's newest, and everything
/// else is replaced. Ends by counting events per account × stream on both sides.
package enum StoreMigration {
  package struct Count: Hashable, Sendable {
    package var key: StreamKey
    package var source: Int
    package var destination: Int
  }

  package struct Report: Sendable {
    package var copied = 0
    package var skipped = 0
    package var alerts = 0
    package var notifications = 0
    package var pendingNotifications = 0
    package var quarantined = 0
    package var counts: [Count] = []
    package var matches: Bool { counts.allSatisfy { $0.source == $0.destination } }
  }

  /// Copies `source` into `destination`, calling `progress` with (events copied so far, the source's
  /// newest sequence) after every page.
  package static func run(
    from source: any EventStore, to destination: any EventStore & ImportStore, page: Int = 5_000,
    at time: Timestamp, progress: (Int64, Int64) -> Void = { _, _ in }
  ) async throws(StoreError) -> Report {
    var report = Report()
    let newest = try await source.newestSequence()
    var position = try await destination.newestSequence()
    progress(position, newest)
    while true {
      let events = try await source.events(after: position, limit: page)
      guard let last = events.last else { break }
      let added = try await destination.importEvents(events)
      report.copied += added
      report.skipped += events.count - added
      position = last.sequence
      progress(position, newest)
    }
    let states = try await source.streamStates()
    try await destination.importStreamStates(states)
    for (consumer, sequence) in try await source.checkpoints() {
      try await destination.saveCheckpoint(consumer, sequence: sequence, at: time)
    }
    if let detection = try await source.detectionState(DetectionService.consumer) {
      _ = try await destination.commitDetection(
        [],
        progress: DetectionProgress(
          consumer: DetectionService.consumer, state: detection.state, sequence: detection.sequence),
        at: time)
    }
    let alerts = try await source.alertChanges(after: 0, limit: .max)
    try await destination.importAlerts(alerts)
    report.alerts = alerts.count
    // Every alert's notifications, sent or not, in their order; the pending ones go out when Vigil
    // starts on the copy. (Handled ones whose alert is gone are not copied: nothing shows them.)
    var outbox: [OutboxEntry] = []
    for alert in alerts { outbox += try await source.notifications(alert: alert.id) }
    outbox.sort { $0.id < $1.id }
    try await destination.importNotifications(outbox, pendingDueAt: time)
    report.notifications = outbox.count
    report.pendingNotifications = outbox.count { $0.state == .pending }
    for status in try await source.sinkStatuses() { try await destination.recordSink(status) }
    for sink in try await source.quarantineCounts().keys.sorted() {
      let entries = try await source.quarantined(sink: sink, limit: .max)
      try await destination.quarantine(entries)
      report.quarantined += entries.count
    }
    for rate in try await source.rateStatuses() { try await destination.recordRate(rate) }
    try await destination.recordSources(try await source.sourceStatuses())
    for state in states {
      report.counts.append(
        Count(
          key: state.key, source: try await source.eventCount(state.key),
          destination: try await destination.eventCount(state.key)))
    }
    return report
  }
}
