import Foundation

/// The real clock: wall time from the system, sleeping with `Task.sleep`.
package struct SystemClock: VigilClock {
  package init() {}

  package var now: Timestamp { Timestamp(epochSeconds: Date().timeIntervalSince1970) }

  package func sleep(seconds: Double) async throws {
    guard seconds > 0 else { return }
    try await Task.sleep(for: .milliseconds(Int64((seconds * 1000).rounded(.up))))
  }
}
