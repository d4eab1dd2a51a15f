import VigilBase
import VigilCore

/// An event as evidence: where it stands in event time and how to find it again in the store.
package struct EventRef: Hashable, Comparable, Sendable, Codable {
  /// Event time, nanoseconds since the epoch.
  package var time: Int64
  package var uuid: String
  /// The store's sequence number (0 when the events did not come from a store: replays, rule tests).
  package var sequence: Int64

  package init(time: Int64, uuid: String, sequence: Int64) {
    self.time = time
    self.uuid = uuid
    self.sequence = sequence
  }

  package init(_ event: CanonicalEvent, sequence: Int64) {
    self.init(time: FieldValue.nanoseconds(event.time), uuid: event.uuid, sequence: sequence)
  }

  /// Event time, then uuid: a total order that does not depend on arrival.
  package static func < (lhs: EventRef, rhs: EventRef) -> Bool {
    lhs.time != rhs.time ? lhs.time < rhs.time : lhs.uuid < rhs.uuid
  }
}
