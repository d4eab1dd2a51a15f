import VigilBase

/// Failed sign-ins per user name and per client address: after `maximum` failures within `window`
/// seconds, further attempts are refused until the oldest failure ages out. A success clears the user's
/// count (not the address's: one address guessing many names stays throttled).
actor LoginThrottle {
  static let mostKeys = 50_000
  let clock: any VigilClock
  let maximum: Int
  let window: Double
  private var failures: [String: [Double]] = [:]

  init(clock: any VigilClock, maximum: Int, window: Double) {
    self.clock = clock
    self.maximum = maximum
    self.window = window
  }

  /// Seconds until another attempt is allowed for this user or address; nil when allowed now.
  func retryAfter(user: String, address: String) -> Double? {
    let now = clock.now.epochSeconds
    let waits = [userKey(user), addressKey(address)].compactMap { key -> Double? in
      let recent = (failures[key] ?? []).filter { now - $0 < window }
      failures[key] = recent.isEmpty ? nil : recent
      guard recent.count >= maximum, let oldest = recent.first else { return nil }
      return window - (now - oldest)
    }
    return waits.max()
  }

  func failed(user: String, address: String) {
    let now = clock.now.epochSeconds
    if failures.count >= Self.mostKeys {
      failures = failures.filter { _, times in times.contains { now - $0 < window } }
    }
    for key in [userKey(user), addressKey(address)] {
      var times = (failures[key] ?? []).filter { now - $0 < window }
      times.append(now)
      failures[key] = Array(times.suffix(maximum))
    }
  }

  func succeeded(user: String) { failures[userKey(user)] = nil }

  private func userKey(_ user: String) -> String { "user:" + user.lowercased().prefix(256) }
  private func addressKey(_ address: String) -> String { "addr:" + address }
}
