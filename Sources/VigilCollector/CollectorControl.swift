import Synchronization
import VigilBase
import VigilEventsAPIModel

/// Lets a graceful shutdown reach every stream: the page in hand is finished and committed, and
/// waits between pages end at once.
package final class CollectorControl: Sendable {
  private let stopping = Atomic<Bool>(false)
  private let parent: CollectorControl?

  /// A control of its own; with a parent, it also stops when the parent does (one stream's lease
  /// ending stops that stream alone).
  package init(parent: CollectorControl? = nil) { self.parent = parent }

  package var isStopping: Bool { stopping.load(ordering: .acquiring) || (parent?.isStopping ?? false) }

  package func stop() { stopping.store(true, ordering: .releasing) }

  /// Waits `seconds` in short slices; false when a stop came first.
  func idle(_ seconds: Double, clock: any VigilClock) async -> Bool {
    var remaining = seconds
    while remaining > 0 {
      if isStopping { return false }
      let slice = min(remaining, 0.25)
      do { try await clock.sleep(seconds: slice) } catch { return false }
      remaining -= slice
    }
    return !isStopping
  }
}
