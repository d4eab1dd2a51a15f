import Foundation
import Synchronization
import VigilBase
import VigilRuntime

/// One status line on a terminal's standard error, redrawn in place at most twice a second: the one
/// progress display behind collection, export and rescan. Off when standard error is not a terminal.
final class TerminalProgress: Sendable {
  let isEnabled: Bool
  private let start = ContinuousClock.now
  private let state = Mutex<(lastDrawn: ContinuousClock.Instant?, shown: Bool)>((nil, false))

  init(enabled: Bool = isatty(STDERR_FILENO) == 1) { isEnabled = enabled }

  /// Seconds since the display was made.
  var elapsed: Double {
    let duration = ContinuousClock.now - start
    return Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
  }

  /// Redraws the line with `text` unless it was drawn less than half a second ago.
  func update(_ text: @autoclosure () -> String) {
    guard isEnabled else { return }
    let now = ContinuousClock.now
    let due = state.withLock { state -> Bool in
      if let last = state.lastDrawn, now - last < .milliseconds(500) { return false }
      state.lastDrawn = now
      state.shown = true
      return true
    }
    guard due else { return }
    FileHandle.standardError.write(Data(("\r\u{1B}[2K" + Printable.text(text())).utf8))
  }

  /// Ends the line: leaves `final` on it (and a newline) when given, else clears it.
  func finish(_ final: String? = nil) {
    guard isEnabled, state.withLock({ $0.shown }) else { return }
    FileHandle.standardError.write(Data(("\r\u{1B}[2K" + (final.map { Printable.text($0) + "\n" } ?? "")).utf8))
  }
}
