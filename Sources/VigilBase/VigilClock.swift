import Synchronization

/// Wall-clock time and sleeping, behind a protocol so tests can run hours of rate limiting, token
/// expiry and late insertion in milliseconds.
package protocol VigilClock: Sendable {
  var now: Timestamp { get }
  func sleep(seconds: Double) async throws
}

/// A clock that moves only when told to, or when someone sleeps on it (the sleeper's wait passes at
/// once and moves time forward). Shared by a test's client and emulator.
package final class ManualClock: VigilClock {
  private let time: Mutex<Timestamp>

  package init(start: Timestamp) { time = Mutex(start) }

  package var now: Timestamp { time.withLock { $0 } }

  package func advance(seconds: Double) {
    time.withLock { $0 = $0.adding(seconds: seconds) }
  }

  package func sleep(seconds: Double) async throws {
    try Task.checkCancellation()
    if seconds > 0 { advance(seconds: seconds) }
    await Task.yield()
  }
}
