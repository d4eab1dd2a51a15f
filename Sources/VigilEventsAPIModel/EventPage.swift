import VigilJSON

/// One response of a paging endpoint: `{items, cursor, has_more}`.
package struct EventPage: Sendable {
  package var items: [ReceivedEvent]
  package var cursor: String
  package var hasMore: Bool
  /// Items that were not JSON objects and could not be kept (counted so that loss is never silent).
  package var malformedItems: Int

  package init(items: [ReceivedEvent], cursor: String, hasMore: Bool, malformedItems: Int = 0) {
    self.items = items
    self.cursor = cursor
    self.hasMore = hasMore
    self.malformedItems = malformedItems
  }
}

/// Why a 200 response body is not a usable page.
package enum PageDecodingError: Error, Equatable, Sendable, CustomStringConvertible {
  case invalidJSON(JSONError)
  case notAnObject
  case missingCursor
  case itemsNotAnArray

  package var description: String {
    switch self {
    case .invalidJSON(let error): "the API returned a page that is not valid JSON (\(error))"
    case .notAnObject: "the API returned a page that is not a JSON object"
    case .missingCursor: "the API returned a page without a cursor"
    case .itemsNotAnArray: "the API returned a page whose items are not an array"
    }
  }
}

extension EventPage {
  /// A page holds at most 1000 events of a few dozen values each (~60k); two million values (40 MB
  /// of tape) leaves room for any real page and bounds what a hostile body can cost.
  package static let maximumValues = 2_000_000

  /// Decodes a response body of `stream`'s endpoint. A missing `has_more` counts as false; a missing
  /// `items` as empty (the API omits it on empty pages in some versions).
  package init(stream: EventStream, body: [UInt8]) throws(PageDecodingError) {
    let document: JSONDocument
    do {
      document = try JSONDocument(bytes: body, maximumValues: Self.maximumValues)
    } catch {
      throw .invalidJSON(error)
    }
    let root = document.root
    guard root.kind == .object else { throw .notAnObject }
    var cursor: String?
    var hasMore = false
    var itemsValue: JSONValue?
    for (key, value) in root.members {
      switch key {
      case "cursor": cursor = value.string
      case "has_more": hasMore = value.bool ?? false
      case "items": itemsValue = value
      default: break
      }
    }
    guard let cursor else { throw .missingCursor }
    var items: [ReceivedEvent] = []
    var malformed = 0
    if let itemsValue, !itemsValue.isNull {
      guard itemsValue.kind == .array else { throw .itemsNotAnArray }
      items.reserveCapacity(itemsValue.count)
      for element in itemsValue.elements {
        if let event = WireEvent(stream: stream, json: element) {
          items.append(ReceivedEvent(event: event, raw: Array(element.rawBytes)))
        } else {
          malformed += 1
        }
      }
    }
    self.init(items: items, cursor: cursor, hasMore: hasMore, malformedItems: malformed)
  }
}
