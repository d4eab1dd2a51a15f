import VigilBase
import VigilEventsAPIModel

/// One token's request budget, shared by all of its streams: every request waits here for its slot.
package actor RateGate {
  private var budget: RateBudget
  private let clock: any VigilClock

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
}
