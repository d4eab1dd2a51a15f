import Foundation
import VigilCore

/// The engine's state as a value to persist with the detector's checkpoint (one transaction), so a
/// restart continues exactly where the last commit left off: no alert lost, none repeated.
package struct DetectionSnapshot: Sendable, Codable {
  /// Format of the encoding; a snapshot of another format is ignored (detection restarts cold).
  package static let format = 1

  var format = DetectionSnapshot.format
  var rules: [String: RuleState]
  var clocks: [Partition: Int64]
  var events: Int
  var tooLate: Int

  /// JSON bytes (compact; state is bounded by ``StateLimits``).
  package func encoded() throws -> Data { try JSONEncoder().encode(self) }

  package static func decode(_ data: Data) throws -> DetectionSnapshot {
    try JSONDecoder().decode(Self.self, from: data)
  }
}

extension DetectionEngine {
  /// Everything the engine remembers. Call it between events (alert updates already collected).
  package var snapshot: DetectionSnapshot {
    var rules: [String: RuleState] = [:]
    for runner in runners { rules[runner.rule.id] = runner.state }
    return DetectionSnapshot(rules: rules, clocks: clocks, events: events, tooLate: tooLate)
  }

  /// Takes up a snapshot: rules still present get their state back; new rules start empty; state of
  /// rules that are gone is dropped. Returns the ids whose state was dropped.
  @discardableResult
  package mutating func restore(_ snapshot: DetectionSnapshot) -> [String] {
    guard snapshot.format == DetectionSnapshot.format else { return Array(snapshot.rules.keys).sorted() }
    clocks = snapshot.clocks
    events = snapshot.events
    tooLate = snapshot.tooLate
    for index in runners.indices {
      if let state = snapshot.rules[runners[index].rule.id] { runners[index].state = state }
    }
    let present = Set(runners.map(\.rule.id))
    return snapshot.rules.keys.filter { !present.contains($0) }.sorted()
  }
}

/// How much a detector remembers, for `vigil status`.
package struct DetectionStateSize: Hashable, Sendable {
  /// Events judged since detection first started.
  package var events: Int
  /// Events that arrived after their window had closed (beyond the allowed lateness).
  package var tooLate: Int
  /// Groups held across rules (windows, first-seen sets, sequence progress).
  package var groups: Int
  /// Events held in windows and pending first-seen checks.
  package var heldEvents: Int
  /// Groups and events forgotten early because a cap was reached.
  package var evicted: Int
}

extension DetectionSnapshot {
  package var size: DetectionStateSize {
    var size = DetectionStateSize(events: events, tooLate: tooLate, groups: 0, heldEvents: 0, evicted: 0)
    for state in rules.values {
      size.groups += state.histories.count + state.known.count + state.lastIngest.count
      size.heldEvents += state.histories.values.reduce(0) { $0 + $1.entries.count }
      size.heldEvents += state.pending.values.reduce(0) { $0 + $1.count }
      size.evicted += state.evicted
    }
    return size
  }
}
