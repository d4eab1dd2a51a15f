import VigilBase
import VigilEmulatorCore
import VigilEventsAPIModel

/// What a complete collection of one stream must have stored, compared with what it did store.
package enum GroundTruth {
  /// Problems (empty when exact): every event the API had inserted by `caughtUp` and serves, once, and
  /// nothing the API never served. Events inserted after the stream caught up are for its next poll.
  package static func problems(
    stored: [String], caughtUp: Timestamp, engine: EmulatorEngine, account: String? = nil, stream: EventStream
  ) -> [String] {
    let served = Set(engine.groundTruth(account: account, stream: stream))
    let truth = Set(
      engine.allEvents(account: account, stream: stream).filter { $0.insertedAt <= caughtUp }.map(\.uuid)
    ).intersection(served)
    let storedSet = Set(stored)
    var problems: [String] = []
    if truth.isEmpty { problems.append("\(stream): no events to compare") }
    if stored.count != storedSet.count { problems.append("\(stream): \(stored.count - storedSet.count) stored twice") }
    let missing = truth.subtracting(storedSet).count
    if missing > 0 { problems.append("\(stream): \(missing) of \(truth.count) missing") }
    let unexpected = storedSet.subtracting(served).count
    if unexpected > 0 { problems.append("\(stream): \(unexpected) never served") }
    return problems
  }
}
