import VigilBase
import VigilEventsAPIModel

/// One token's request budget, shared by all of its streams: every request waits here for its slot.
package actor RateGate {
  private var budget: RateBudget
  private let clock: any VigilClock
  /// `RateLimit-Remaining` from the newest answer that carried it.
  private var serverRemaining: Int?
  /// When ``usage(every:)`` last handed out the budget.
  private var lastReported: Double?

  package init(limits: RateLimits = .eventsAPI, margin: Double = 1, clock: any VigilClock) {
    budget = RateBudget(limits: limits, margin: margin)
    self.clock = clock
  }

  /// Waits until a request may be sent without exceeding either limit.
  package func acquire() async throws {
    let now = clock.now.epochSeconds
    let slot = budget.reserve(now: now)
    if slot > now { try await clock.sleep(seconds: slot - now) }
  }

  /// Holds back every stream of this token until `seconds` from now (a 429's `Retry-After`).
  package func hold(seconds: Double) {
    budget.block(until: clock.now.epochSeconds + seconds)
  }

  /// Notes what the server said is left (`RateLimit-Remaining`), for the health page.
  package func noteServerRemaining(_ remaining: Int) {
    serverRemaining = max(0, remaining)
  }

  /// The budget as it stands (the collector records it for the health page and `vigil status`), or
  /// nil when it was handed out less than `seconds` ago: the streams of one token share this gate, so
  /// the account's budget is written once every few seconds, not after every stream's every commit.
  package func usage(every seconds: Double = 0) -> RateUsage? {
    let now = clock.now.epochSeconds
    if let lastReported, now >= lastReported, now - lastReported < seconds { return nil }
    lastReported = now
    let spent = budget.usage(now: now)
    return RateUsage(
      lastMinute: spent.lastMinute, lastHour: spent.lastHour, limits: budget.limits, serverRemaining: serverRemaining,
      heldUntil: spent.heldUntil)
  }
}
