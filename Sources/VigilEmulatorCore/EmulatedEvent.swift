import VigilBase
import VigilEventsAPIModel

/// One event in the emulator: what it says, when it happened, and when the API "inserted" it (its
/// position in cursor order). Insertion after the timestamp models clients that sync in batches.
package struct EmulatedEvent: Sendable {
  package var event: WireEvent
  package var uuid: String
  package var timestamp: Timestamp
  package var insertedAt: Timestamp
  /// Replayed items are served byte for byte.
  package var raw: [UInt8]?

  package init(event: WireEvent, insertedAt: Timestamp, raw: [UInt8]? = nil) {
    self.event = event
    self.uuid = event.uuid ?? ""
    self.timestamp = event.timestamp ?? insertedAt
    self.insertedAt = insertedAt
    self.raw = raw
  }

  package var stream: EventStream { event.stream }

  /// Cursor order: insertion time, then uuid.
  package var orderKey: OrderKey { OrderKey(insertedAt: insertedAt, uuid: uuid) }
}

package struct OrderKey: Comparable, Hashable, Sendable {
  package var insertedAt: Timestamp
  package var uuid: String

  package static func < (lhs: OrderKey, rhs: OrderKey) -> Bool {
    lhs.insertedAt != rhs.insertedAt ? lhs.insertedAt < rhs.insertedAt : lhs.uuid < rhs.uuid
  }
}

/// How late each stream's events are inserted: sign-ins mostly at once, audit events up to ~30 min,
/// item usages up to a day (desktop and mobile apps sync in batches).
package enum InsertionDelay {
  package static func draw(for stream: EventStream, using random: inout SeededGenerator) -> Double {
    switch stream {
    case .signInAttempts:
      return random.chance(0.95) ? Double.random(in: 0...2, using: &random) : Double.random(in: 2...300, using: &random)
    case .auditEvents:
      return random.chance(0.8)
        ? Double.random(in: 0...5, using: &random) : Double.random(in: 5...1800, using: &random)
    case .itemUsages:
      let roll = Double.random(in: 0..<1, using: &random)
      if roll < 0.6 { return Double.random(in: 0...10, using: &random) }
      if roll < 0.9 { return Double.random(in: 10...1800, using: &random) }
      return Double.random(in: 1800...86_400, using: &random)
    }
  }
}
