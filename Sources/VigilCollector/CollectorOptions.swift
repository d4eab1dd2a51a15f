import VigilBase
import VigilCore
import VigilEventsAPI
import VigilEventsAPIModel

/// One account as the collector sees it: a client (one token, one shared rate budget) and the
/// streams to read with it.
package struct CollectorAccount: Sendable {
  package var name: String
  package var client: EventsAPIClient
  package var streams: [EventStream]
  /// Where a stream without a stored cursor starts reading.
  package var start: Timestamp

  package init(name: String, client: EventsAPIClient, streams: [EventStream], start: Timestamp) {
    self.name = name
    self.client = client
    self.streams = streams
    self.start = start
  }
}

package struct CollectorOptions: Sendable {
  /// Wait between polls of a caught-up stream.
  package var pollInterval: Double = 30
  /// Wait before asking again with a token the API refused.
  package var unauthorizedRetry: Double = 600
  /// Backoff after a failure the client's own retries did not fix (and after store failures).
  package var failureBackoff: Backoff = Backoff(base: 5, cap: 300)
  /// Stop each stream once it is caught up (`--until-caught-up`), giving up on one after this many
  /// failed rounds in a row.
  package var untilCaughtUp = false
  package var roundsBeforeGivingUp = 3
  /// While behind, pages are committed together, up to this many events or this many seconds after
  /// the first one held: a transaction writes each index page it touches to the WAL once, however many
  /// rows it adds there, so ten pages per commit cost far less than ten commits. A caught-up page, a
  /// failure and a stop commit what is held at once; the cursor still moves only with its events.
  package var eventsPerCommit = 5_000
  package var secondsPerCommit: Double = 2
  /// Do not move the live cursor (backfills read from a date beside the live tail).
  package var keepCursor = false
  /// Where the body of a page that keeps failing to parse is kept for diagnosis (nil: not kept).
  package var quarantine: PageQuarantine?
  /// How long a unit's lease lasts when processes share a PostgreSQL store (`collector.lease`): how
  /// long the units of a worker that died wait before another takes them.
  package var leaseSeconds: Double = 30

  package init() {}
}

/// How a stream's collection ended.
package enum StreamOutcome: Hashable, Sendable {
  case caughtUp
  case stopped
  case failed(String)
}

/// Reported after every committed page, for progress displays and metrics.
package struct PageReport: Sendable {
  package var key: StreamKey
  package var inserted: Int
  package var duplicates: Int
  /// The newest event time in the page: how far the stream has read.
  package var position: Timestamp?
  package var caughtUp: Bool
}
