import Foundation
import Logging
import Synchronization
import VigilBase
import VigilCollector
import VigilCore
import VigilRuntime

/// Shows collection progress: on a terminal one line rewritten in place (events, events/s, how far
/// back in time each stream still is); otherwise an info log line every ten seconds.
final class ProgressDisplay: RuntimeObserver {
  private struct State {
    var inserted = 0
    var duplicates = 0
    var positions: [StreamKey: Timestamp] = [:]
    var caughtUp: Set<StreamKey> = []
    var expectedStreams = 0
    var lastLogged: Double = -10
    var announced = false
  }

  private let state = Mutex(State())
  private let line: TerminalProgress
  private let logger: Logger
  private let clock: any VigilClock
  private let onCaughtUp: (@Sendable (_ events: Int, _ seconds: Double) -> Void)?

  /// - Parameter onCaughtUp: called once, when every stream being collected has caught up.
  init(
    logger: Logger, clock: any VigilClock, terminal: Bool = isatty(STDERR_FILENO) == 1,
    onCaughtUp: (@Sendable (_ events: Int, _ seconds: Double) -> Void)? = nil
  ) {
    self.logger = logger
    self.clock = clock
    self.line = TerminalProgress(enabled: terminal)
    self.onCaughtUp = onCaughtUp
  }

  func started(_ setup: AccountSetup) {
    state.withLock { $0.expectedStreams = setup.streamCount }
  }

  func committed(_ report: PageReport) {
    let elapsed = line.elapsed
    var allCaughtUp: Int?
    let (text, log) = state.withLock { state -> (String, Bool) in
      state.inserted += report.inserted
      state.duplicates += report.duplicates
      if let position = report.position { state.positions[report.key] = position }
      if report.caughtUp { state.caughtUp.insert(report.key) } else { state.caughtUp.remove(report.key) }
      if !state.announced, state.expectedStreams > 0, state.caughtUp.count >= state.expectedStreams {
        state.announced = true
        allCaughtUp = state.inserted
      }
      let log = !line.isEnabled && elapsed - state.lastLogged >= 10
      if log { state.lastLogged = elapsed }
      return (self.summary(state, elapsed: elapsed), log)
    }
    if let allCaughtUp { onCaughtUp?(allCaughtUp, elapsed) }
    line.update(text)
    if log { logger.info("collecting", metadata: ["progress": .string(text)]) }
  }

  /// Ends the in-place line so that later output starts on a fresh line.
  func finished() {
    let elapsed = line.elapsed
    line.finish(state.withLock { summary($0, elapsed: elapsed) })
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
