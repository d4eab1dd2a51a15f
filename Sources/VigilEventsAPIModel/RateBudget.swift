/// The Events API's documented limits: 600 requests a minute and 30,000 an hour.
package struct RateLimits: Hashable, Sendable {
  package var perMinute: Int
  package var perHour: Int

  package static let eventsAPI = RateLimits(perMinute: 600, perHour: 30_000)

  package init(perMinute: Int, perHour: Int) {
    self.perMinute = max(1, perMinute)
    self.perHour = max(1, perHour)
  }
}

/// A token's budget as it stands: requests sent in the last minute and hour, the limits, what the
/// server last said was left, and until when requests are held back (epoch seconds).
package struct RateUsage: Hashable, Sendable {
  package var lastMinute: Int
  package var lastHour: Int
  package var limits: RateLimits
  package var serverRemaining: Int?
  package var heldUntil: Double?

  package init(lastMinute: Int, lastHour: Int, limits: RateLimits, serverRemaining: Int?, heldUntil: Double?) {
    self.lastMinute = lastMinute
    self.lastHour = lastHour
    self.limits = limits
    self.serverRemaining = serverRemaining
    self.heldUntil = heldUntil
  }
}

/// Decides when a token's next request may leave, so that no sliding minute or hour ever holds more
/// requests than the limits allow, whatever window the server counts in.
///
/// It keeps the send time of every request of the last hour (at most `perHour` entries). Each window is
/// widened by `margin` to absorb network jitter between our clock and the server's. Once more than half
/// the hourly budget is spent, requests are spaced at the hourly average (3600 s / perHour): a client
/// running flat out then slows down gradually instead of stalling for minutes at the hourly cap.
package struct RateBudget: Sendable {
  package let limits: RateLimits
  package let margin: Double
  /// Send times (seconds on a monotonic clock), ascending; entries before `head` are expired.
  private var sends: [Double] = []
  private var head = 0
  /// Set by a 429 with `Retry-After` (or our own backoff): nothing leaves before it.
  private var blockedUntil: Double = 0

  package init(limits: RateLimits = .eventsAPI, margin: Double = 1) {
    self.limits = limits
    self.margin = margin
  }

  /// Reserves a slot and returns the time at which the request may be sent (≥ `now`).
  package mutating func reserve(now: Double) -> Double {
    expire(before: now - 3600 - margin)
    var time = max(now, blockedUntil)
    let count = sends.count - head
    if count >= limits.perMinute {
      time = max(time, sends[sends.count - limits.perMinute] + 60 + margin)
    }
    if count >= limits.perHour {
      time = max(time, sends[sends.count - limits.perHour] + 3600 + margin)
    }
    if count * 2 > limits.perHour, let last = sends.last {
      time = max(time, last + 3600 / Double(limits.perHour))
    }
    sends.append(time)
    return time
  }

  /// Holds every request back until `time` (a 429's `Retry-After`, for all streams of the token).
  package mutating func block(until time: Double) {
    blockedUntil = max(blockedUntil, time)
  }

  /// Requests sent (or reserved) in the minute and the hour before `now`, and the time requests are
  /// held back until, if later than `now`.
  package func usage(now: Double) -> (lastMinute: Int, lastHour: Int, heldUntil: Double?) {
    let live = sends[head...]
    let minute = live.reversed().prefix { $0 > now - 60 }.count
    let hour = live.reversed().prefix { $0 > now - 3600 }.count
    return (minute, hour, blockedUntil > now ? blockedUntil : nil)
  }

  private mutating func expire(before cutoff: Double) {
    while head < sends.count, sends[head] < cutoff { head += 1 }
    if head > 4096, head * 2 > sends.count {
      sends.removeFirst(head)
      head = 0
    }
  }
}
