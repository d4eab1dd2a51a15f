import VigilBase
import VigilEventsAPIModel

/// How long each stream's events are kept, in days (nil: forever).
package struct RetentionPolicy: Hashable, Sendable {
  package var days: Int?
  package var perStream: [EventStream: Int]

  package init(days: Int? = 365, perStream: [EventStream: Int] = [:]) {
    self.days = days
    self.perStream = perStream
  }

  package func days(for stream: EventStream) -> Int? {
    perStream[stream] ?? days
  }

  /// Events of `stream` that happened before this instant are due for deletion.
  package func cutoff(for stream: EventStream, now: Timestamp) -> Timestamp? {
    days(for: stream).map { now.adding(seconds: -Double($0) * 86_400) }
  }
}

/// What a retention pass did, per stream.
package struct RetentionReport: Hashable, Sendable {
  package struct Entry: Hashable, Sendable {
    package var stream: EventStream
    package var cutoff: Timestamp
    package var deleted: Int
    /// Expired events kept because a consumer has not processed them yet (or, with force, deleted anyway).
    package var unprocessed: Int
    package var forced: Bool

    package init(stream: EventStream, cutoff: Timestamp, deleted: Int, unprocessed: Int, forced: Bool) {
      self.stream = stream
      self.cutoff = cutoff
      self.deleted = deleted
      self.unprocessed = unprocessed
      self.forced = forced
    }
  }

  package var entries: [Entry]
  /// The consumer furthest behind, when it held anything back.
  package var slowestConsumer: String?

  package init(entries: [Entry], slowestConsumer: String?) {
    self.entries = entries
    self.slowestConsumer = slowestConsumer
  }

  package var deleted: Int { entries.reduce(0) { $0 + $1.deleted } }

  /// Said whenever retention ran with no consumer registered: the safeguard then holds nothing back.
  /// Detection and sinks register one with their checkpoint; until one has, that is worth knowing.
  package var consumerNote: String? {
    guard slowestConsumer == nil, !entries.isEmpty else { return nil }
    return "no consumer (detection rules, sinks) has registered a checkpoint, so retention holds nothing back: "
      + "expired events are deleted whether or not anything downstream has read them"
  }

  /// The loud lines: expired events kept for a consumer, or deleted before it saw them.
  package var warnings: [String] {
    entries.compactMap { entry in
      guard entry.unprocessed > 0 else { return nil }
      let consumer = slowestConsumer ?? "a consumer"
      return entry.forced
        ? "DELETED \(entry.unprocessed) \(entry.stream.displayName) events that \(consumer) had not processed yet"
        : "kept \(entry.unprocessed) expired \(entry.stream.displayName) events that \(consumer) has not processed "
          + "yet; they go once it catches up (or run `vigil retention apply --force` to delete them now)"
    }
  }
}
