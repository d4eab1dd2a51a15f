import VigilBase
import VigilJSON

/// The body of a paging request: a reset (start a new cursor) or a continuation.
package enum PageRequest: Hashable, Sendable {
  case reset(limit: Int, startTime: Timestamp?, endTime: Timestamp?)
  case cursor(String)

  /// The API's maximum (and the default Vigil asks for): fewer requests for the same events.
  package static let maximumLimit = 1000

  package var body: [UInt8] {
    var writer = JSONWriter(capacity: 96)
    writer.beginObject()
    switch self {
    case .reset(let limit, let startTime, let endTime):
      writer.field("limit", min(max(limit, 1), Self.maximumLimit))
      writer.field("start_time", startTime?.rfc3339)
      writer.field("end_time", endTime?.rfc3339)
    case .cursor(let cursor):
      writer.field("cursor", cursor)
    }
    writer.endObject()
    return writer.bytes
  }
}

/// Where a stream's paging stands, following the API's rules exactly:
/// reset first, then only `{cursor}`; keep the newest cursor even from empty pages; `has_more: false`
/// means caught up; the same cursor again with no items also means caught up, whatever `has_more`
/// says; a run of empty `has_more: true` pages is bounded so the loop can never spin.
package struct PagingState: Hashable, Sendable {
  /// Empty pages with `has_more: true` tolerated in a row before pausing as if caught up.
  package static let maximumEmptyPagesInARow = 10

  package private(set) var cursor: String?
  package private(set) var emptyPagesInARow = 0

  package init(cursor: String? = nil) { self.cursor = cursor }

  /// The next request: a continuation when a cursor is known, else a reset.
  package func nextRequest(limit: Int = PageRequest.maximumLimit, startTime: Timestamp?) -> PageRequest {
    if let cursor { return .cursor(cursor) }
    return .reset(limit: limit, startTime: startTime, endTime: nil)
  }

  package enum Outcome: Hashable, Sendable {
    /// Ask again at once.
    case more
    /// Nothing more for now: wait for the idle interval.
    case caughtUp
  }

  /// Records a page and says whether to ask again now.
  package mutating func apply(cursor newCursor: String, itemCount: Int, hasMore: Bool) -> Outcome {
    let repeated = newCursor == cursor
    cursor = newCursor
    if itemCount > 0 {
      emptyPagesInARow = 0
      return hasMore ? .more : .caughtUp
    }
    emptyPagesInARow += 1
    if !hasMore || repeated || emptyPagesInARow >= Self.maximumEmptyPagesInARow {
      emptyPagesInARow = 0
      return .caughtUp
    }
    return .more
  }

  /// Forgets the cursor (after the API rejected it); the next request is a reset.
  package mutating func discardCursor() {
    cursor = nil
    emptyPagesInARow = 0
  }
}
