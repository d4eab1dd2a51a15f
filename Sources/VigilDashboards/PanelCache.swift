/// Keeps each panel's result for a short time, so that a dashboard opened by several people, reloaded,
/// or read by the API and the page within the same minute is computed once.
///
/// Entries are keyed by the panel itself and the time-range picker's state (`last=30d`, or the
/// `from`/`to` text), so a relative window keeps its entry for `lifetime` seconds and then moves on
/// with the clock. Requests that arrive while an entry is being computed wait for that computation
/// instead of starting another. Results with a problem are not kept. At most `capacity` entries are
/// kept; the oldest go first.
package actor PanelCache {
  package struct Key: Hashable, Sendable {
    package var panel: Panel
    package var window: TimeWindow
  }

  private struct Entry {
    var computed: Double
    var task: Task<PanelView, Never>
  }

  /// Seconds an entry is served for; 0 turns the cache off.
  package let lifetime: Double
  package let capacity: Int
  private var entries: [Key: Entry] = [:]
  private(set) package var hits = 0
  private(set) package var misses = 0

  package init(lifetime: Double, capacity: Int = 1024) {
    self.lifetime = max(0, lifetime)
    self.capacity = max(1, capacity)
  }

  /// The cached view for `panel` over `window`, or the one `compute` makes (then kept).
  package func view(
    _ panel: Panel, window: TimeWindow, now: Double, compute: @escaping @Sendable () async -> PanelView
  ) async -> PanelView {
    guard lifetime > 0 else { return await compute() }
    let key = Key(panel: panel, window: window)
    if let entry = entries[key], now - entry.computed < lifetime, now >= entry.computed {
      hits += 1
      return await entry.task.value
    }
    misses += 1
    let task = Task { await compute() }
    entries[key] = Entry(computed: now, task: task)
    evictIfFull(now: now)
    let view = await task.value
    if view.problem != nil, entries[key]?.computed == now { entries[key] = nil }
    return view
  }

  /// Forgets everything (a new dashboard folder, a test that changed the data).
  package func removeAll() { entries.removeAll() }

  package var count: Int { entries.count }

  private func evictIfFull(now: Double) {
    guard entries.count > capacity else { return }
    entries = entries.filter { now - $0.value.computed < lifetime && now >= $0.value.computed }
    while entries.count > capacity, let oldest = entries.min(by: { $0.value.computed < $1.value.computed }) {
      entries[oldest.key] = nil
    }
  }
}
