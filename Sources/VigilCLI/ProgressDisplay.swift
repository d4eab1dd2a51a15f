import Collector
import EventsAPIModel
import Foundation
import Logging
import Synchronization
import VigilCore

/// Shows collection progress: on a terminal one line rewritten in place (events, events/s, how far
/// back in time each stream still is); otherwise an info log line every ten seconds.
final class ProgressDisplay: Sendable {
  private struct State {
    var inserted = 0
    var duplicates = 0
    var positions: [StreamKey: Timestamp] = [:]
    var caughtUp: Set<StreamKey> = []
    var lastShown: Double = 0
    var shownOnTerminal = false
    var announced = false
  }

  private let state = Mutex(State())
  private let started: Double
  private let terminal: Bool
  private let logger: Logger
  private let clock: any VigilClock
  private let expectedStreams: Int
  private let onCaughtUp: (@Sendable (_ events: Int, _ seconds: Double) -> Void)?

  /// - Parameter onCaughtUp: called once, when all `expectedStreams` have caught up.
  init(
    logger: Logger, clock: any VigilClock, terminal: Bool = isatty(STDERR_FILENO) == 1, expectedStreams: Int = 0,
    onCaughtUp: (@Sendable (_ events: Int, _ seconds: Double) -> Void)? = nil
  ) {
    self.logger = logger
    self.clock = clock
    self.terminal = terminal
    self.started = Self.monotonic()
    self.expectedStreams = expectedStreams
    self.onCaughtUp = onCaughtUp
  }

  var totalInserted: Int { state.withLock { $0.inserted } }

  func record(_ report: PageReport) {
    let now = Self.monotonic()
    var allCaughtUp: Int?
    let line: String? = state.withLock { state in
      state.inserted += report.inserted
      state.duplicates += report.duplicates
      if let position = report.position { state.positions[report.key] = position }
      if report.caughtUp { state.caughtUp.insert(report.key) } else { state.caughtUp.remove(report.key) }
      if !state.announced, expectedStreams > 0, state.caughtUp.count >= expectedStreams {
        state.announced = true
        allCaughtUp = state.inserted
      }
      guard now - state.lastShown >= (terminal ? 0.5 : 10) else { return nil }
      state.lastShown = now
      state.shownOnTerminal = terminal
      return summary(state, elapsed: now - started)
    }
    if let allCaughtUp { onCaughtUp?(allCaughtUp, now - started) }
    guard let line else { return }
    if terminal {
      FileHandle.standardError.write(Data(("\r\u{1B}[2K" + line).utf8))
    } else {
      logger.info("collecting", metadata: ["progress": .string(line)])
    }
  }

  /// Ends the in-place line so that later output starts on a fresh line.
  func finish() {
    let (shown, line) = state.withLock { ($0.shownOnTerminal, summary($0, elapsed: Self.monotonic() - started)) }
    if shown { FileHandle.standardError.write(Data(("\r\u{1B}[2K" + line + "\n").utf8)) }
  }

  private func summary(_ state: State, elapsed: Double) -> String {
    let rate = elapsed > 0 ? Int(Double(state.inserted) / elapsed) : 0
    var line = "\(state.inserted.grouped) new events, \(rate.grouped)/s"
    if state.duplicates > 0 { line += ", \(state.duplicates.grouped) already stored" }
    let now = clock.now
    let behind = state.positions.filter { !state.caughtUp.contains($0.key) }
    if let furthest = behind.min(by: { $0.value < $1.value }) {
      let days = Double(now.seconds - furthest.value.seconds) / 86_400
      line += " · \(furthest.key) at \(furthest.value.rfc3339.prefix(16)) (\(String(format: "%.1f", days)) days behind)"
    } else if !state.caughtUp.isEmpty {
      line += " · \(state.caughtUp.count) streams caught up"
    }
    return line
  }

  private static func monotonic() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_MONOTONIC, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
  }
}

extension Int {
  /// 1234567 → "1,234,567".
  var grouped: String {
    let digits = String(Swift.abs(self))
    var out = ""
    for (index, character) in digits.enumerated() {
      if index > 0, (digits.count - index) % 3 == 0 { out.append(",") }
      out.append(character)
    }
    return self < 0 ? "-" + out : out
  }
}
