import VigilBase
import VigilJSON

/// One sink's position against the log, for `vigil sinks status`, `vigil status`, the Health page and
/// `GET /api/health`: how many events it has yet to deliver, since when the oldest waits, how many
/// are quarantined, and its delivery state.
package struct SinkBacklog: Sendable {
  package var name: String
  /// Events after the sink's checkpoint (the filter may leave some of them out).
  package var events: Int64
  /// When the oldest event after the checkpoint was stored.
  package var oldestWaiting: Timestamp?
  package var quarantined: Int
  /// Nil until the sink has first saved its state.
  package var status: SinkStatus?

  /// The backlog of each named sink (the configured ones), in the given order.
  package static func read(_ names: [String], store: any (EventLog & CheckpointStore & SinkStore))
    async throws(StoreError) -> [SinkBacklog]
  {
    let newest = try await store.newestSequence()
    let statuses = try await store.sinkStatuses()
    let counts = try await store.quarantineCounts()
    var backlogs: [SinkBacklog] = []
    for name in names {
      let checkpoint = try await store.checkpoint(SinkStatus.consumer(name)) ?? 0
      let oldest = try await store.events(after: checkpoint, limit: 1).first?.event.ingestedAt
      backlogs.append(
        SinkBacklog(
          name: name, events: max(0, newest - checkpoint), oldestWaiting: oldest, quarantined: counts[name] ?? 0,
          status: statuses.first { $0.name == name }))
    }
    return backlogs
  }
}

extension SinkBacklog {
  /// `not started`, `failing` or `delivering`.
  package var state: String {
    guard let status else { return "not started" }
    return status.isFailing ? "failing" : "delivering"
  }
}

extension SinkBacklog {
  /// The backlog as `GET /api/health` and `vigil status --format json` write it.
  package func write(into writer: inout JSONWriter) {
    writer.beginObject()
    writer.field("name", name)
    writer.field("state", state)
    writer.field("backlog_events", Int(events))
    writer.field("oldest_waiting", oldestWaiting?.rfc3339)
    writer.field("delivered", Int(status?.delivered ?? 0))
    writer.field("skipped", Int(status?.skipped ?? 0))
    writer.field("quarantined", quarantined)
    writer.field("last_delivery", status?.lastDeliveryAt?.rfc3339)
    writer.field("last_error", status?.lastError)
    writer.endObject()
  }
}
