import VigilEventsAPIModel

/// The server side of the rate limits: counts each token's requests in sliding windows and refuses
/// the ones over either limit, saying when the oldest counted request leaves the window.
package struct RequestLimiter: Sendable {
  package var limits: RateLimits
  private var history: [String: [Double]] = [:]

  package init(limits: RateLimits) { self.limits = limits }

  package enum Decision: Equatable, Sendable {
    case allowed
    /// Over a limit: retry after this many seconds.
    case limited(retryAfter: Double)
  }

  package mutating func admit(token: String, now: Double) -> Decision {
    var sends = history[token, default: []]
    if let first = sends.first, first <= now - 3600 {
      sends.removeFirst(sends.firstIndex { $0 > now - 3600 } ?? sends.count)
    }
    let lastMinute = sends.reversed().prefix { $0 > now - 60 }.count
    var retryAfter: Double?
    if lastMinute >= limits.perMinute {
      retryAfter = sends[sends.count - limits.perMinute] + 60 - now
    }
    if sends.count >= limits.perHour {
      retryAfter = max(retryAfter ?? 0, sends[sends.count - limits.perHour] + 3600 - now)
    }
    if let retryAfter {
      history[token] = sends
      return .limited(retryAfter: max(retryAfter, 0.001))
    }
    sends.append(now)
    history[token] = sends
    return .allowed
  }
}
