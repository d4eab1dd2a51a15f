import VigilBase
import VigilEventsAPIModel

/// Reads one stream page by page until it is caught up, following the paging rules (``PagingState``)
/// and recovering from a rejected cursor by resetting from the newest event time it has seen minus
/// an overlap (duplicates from the overlap are for the consumer's uuid dedupe to absorb).
package struct StreamReader: Sendable {
  package let client: EventsAPIClient
  package let stream: EventStream
  package var paging: PagingState
  /// Where a reset starts when there is no cursor: the configured backfill start.
  package var startTime: Timestamp?
  /// Newest event timestamp seen, for the fallback reset.
  package var newestTimestamp: Timestamp?
  /// How far before the newest seen event a fallback reset starts: at least the stream's maximum
  /// insertion lateness, or late events inserted after the rejected cursor would be skipped.
  package var resetOverlap: Double
  package var limit = PageRequest.maximumLimit
  package private(set) var cursorResets = 0

  package init(client: EventsAPIClient, stream: EventStream, cursor: String? = nil, startTime: Timestamp? = nil) {
    self.client = client
    self.stream = stream
    self.paging = PagingState(cursor: cursor)
    self.startTime = startTime
    self.resetOverlap = Self.defaultOverlap(for: stream)
  }

  /// How far back the API serves, less a margin so that a start at the edge is never refused.
  package static let servedWindow: Double = 120 * 86_400 - 600

  /// Item usages arrive up to a day late, audit events up to ~30 minutes, sign-ins within minutes;
  /// each overlap adds a margin.
  package static func defaultOverlap(for stream: EventStream) -> Double {
    switch stream {
    case .itemUsages: 26 * 3600
    case .auditEvents: 2 * 3600
    case .signInAttempts: 3600
    }
  }

  /// Fetches the next page; returns it with whether the stream is now caught up.
  package mutating func next() async throws(EventsAPIError) -> (page: EventPage, caughtUp: Bool) {
    let request = paging.nextRequest(limit: limit, startTime: startTime)
    let page: EventPage
    do {
      page = try await client.page(stream, request: request)
    } catch .cursorRejected {
      cursorResets += 1
      paging.discardCursor()
      if let newestTimestamp { startTime = newestTimestamp.adding(seconds: -resetOverlap) }
      // After a long outage the restart point may be older than the API keeps; it would refuse it
      // for good. Start at the oldest it serves instead (what is older is gone from the API anyway).
      let oldest = client.now.adding(seconds: -Self.servedWindow)
      if let start = startTime, start < oldest { startTime = oldest }
      page = try await client.page(stream, request: paging.nextRequest(limit: limit, startTime: startTime))
    }
    for item in page.items {
      if let timestamp = item.event.timestamp, newestTimestamp.map({ timestamp > $0 }) ?? true {
        newestTimestamp = timestamp
      }
    }
    let outcome = paging.apply(cursor: page.cursor, itemCount: page.items.count, hasMore: page.hasMore)
    return (page, outcome == .caughtUp)
  }
}
