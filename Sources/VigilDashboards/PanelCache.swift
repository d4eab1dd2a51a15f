/// Keeps each panel's result for a short time, so that a dashboard opened by several people, reloaded,
/// polled by a wall display, or read by the API and the page within the same minute is computed once.
///
/// Entries are keyed by the panel itself and the time-range picker's state (`last=30d`, or the
/// `from`/`to` text). An entry is fresh for `lifetime` seconds. After that, and up to `staleLimit`
/// lifetimes, the previous result is still served at once while one refresh runs in the background, so
/// that no request waits for a recomputation that someone else's visit can pay for; older entries are
/// computed again before answering. Requests that arrive while an entry is first computed wait for that
/// computation instead of starting another. Results with a problem are not kept. At most `capacity`
/// entries are kept; the oldest go first.
package actor PanelCache {
  package struct Key: Hashable, Sendable {
    package var panel: Panel
    package var window: TimeWindow
  }

  private struct Entry {
    /// When the kept result was asked for (a refresh's result counts from when the refresh started).
    var computed: Double
    var task: Task<PanelView, Never>
    var refreshing = false
  }

  /// Seconds an entry is fresh for; 0 turns the cache off.
  package let lifetime: Double
  /// How many lifetimes an entry may be served for while it is refreshed.
  package let staleLimit: Double
  package let capacity: Int
  private var entries: [Key: Entry] = [:]
  private(set) package var hits = 0
  private(set) package var staleHits = 0
  private(set) package var misses = 0

  package init(lifetime: Double, staleLimit: Double = 5, capacity: Int = 1024) {
    self.lifetime = max(0, lifetime)
    self.staleLimit = max(1, staleLimit)
    self.capacity = max(1, capacity)
  }

  /// The cached view for `panel` over `window`, or the one `compute` makes (then kept).
  package func view(
    _ panel: Panel, window: TimeWindow, now: Double, compute: @escaping @Sendable () async -> PanelView
  ) async -> PanelView {
    guard lifetime > 0 else { return await compute() }
    let key = Key(panel: panel, window: window)
    if let entry = entries[key], now > entry.computed - lifetime {
      // Concurrent requests read the clock before reaching the cache, so an entry may look slightly
      // younger than zero; only a clock set back by a whole lifetime makes it unusable.
      let age = now - entry.computed
      if age < lifetime {
        hits += 1
        return await entry.task.value
      }
      if age < lifetime * staleLimit {
        staleHits += 1
        if !entry.refreshing {
          entries[key]?.refreshing = true
          Task { await self.refresh(key, started: now, compute: compute) }
        }
        return await entry.task.value
      }
    }
    misses += 1
    let task = Task { await compute() }
    entries[key] = Entry(computed: now, task: task)
    evictIfFull(now: now)
    let view = await task.value
    if view.problem != nil, entries[key]?.computed == now { entries[key] = nil }
    return view
  }

  /// Computes an entry again in the background and keeps the result unless it has a problem.
  private func refresh(_ key: Key, started: Double, compute: @escaping @Sendable () async -> PanelView) async {
    let view = await compute()
    guard view.problem == nil else {
      entries[key]?.refreshing = false
      return
    }
    entries[key] = Entry(computed: started, task: Task { view })
    evictIfFull(now: started)
  }

  /// Forgets everything (a new dashboard folder, a test that changed the data).
  package func removeAll() { entries.removeAll() }

  package var count: Int { entries.count }

  private func evictIfFull(now: Double) {
    guard entries.count > capacity else { return }
    let horizon = lifetime * staleLimit
    entries = entries.filter { abs(now - $0.value.computed) < horizon }
    while entries.count > capacity, let oldest = entries.min(by: { $0.value.computed < $1.value.computed }) {
      entries[oldest.key] = nil
    }
  }
}
