import Testing
import VigilBase
import VigilTestSupport

@testable import VigilEventsAPIModel

@Suite struct PagingAndBudgetTests {
  @Test func resetFirstThenOnlyTheCursor() {
    var state = PagingState()
    let start = Timestamp(seconds: 1_577_836_800)
    #expect(state.nextRequest(startTime: start) == .reset(limit: 1000, startTime: start, endTime: nil))
    #expect(
      String(decoding: state.nextRequest(startTime: start).body, as: UTF8.self)
        == #"{"limit":1000,"start_time":"2020-01-01T00:00:00Z"}"#)
    #expect(state.apply(cursor: "c1", itemCount: 1000, hasMore: true) == .more)
    #expect(state.nextRequest(startTime: start) == .cursor("c1"))
    #expect(String(decoding: PageRequest.cursor("c1").body, as: UTF8.self) == #"{"cursor":"c1"}"#)
  }

  @Test func caughtUpRules() {
    var state = PagingState(cursor: "c1")
    #expect(state.apply(cursor: "c2", itemCount: 5, hasMore: false) == .caughtUp)
    // The same cursor with nothing new is caught up even when has_more claims otherwise.
    #expect(state.apply(cursor: "c2", itemCount: 0, hasMore: true) == .caughtUp)
    // An empty page with has_more and a new cursor: keep going, and keep the newest cursor.
    #expect(state.apply(cursor: "c3", itemCount: 0, hasMore: true) == .more)
    #expect(state.cursor == "c3")
    // …but never spin: a run of them pauses.
    var outcomes: [PagingState.Outcome] = []
    for index in 0..<PagingState.maximumEmptyPagesInARow {
      outcomes.append(state.apply(cursor: "e\(index)", itemCount: 0, hasMore: true))
    }
    #expect(outcomes.contains(.caughtUp))
    state.discardCursor()
    #expect(state.cursor == nil)
  }

  /// Simulated flat-out client: in no sliding minute or hour does it exceed either limit.
  @Test(arguments: [RateLimits.eventsAPI, RateLimits(perMinute: 7, perHour: 20)])
  func budgetNeverExceedsAnyWindow(limits: RateLimits) {
    var budget = RateBudget(limits: limits, margin: 0)
    var sends: [Double] = []
    var now = 0.0
    for _ in 0..<(limits.perHour * 2 + 50) {
      now = budget.reserve(now: now)
      sends.append(now)
    }
    var minuteStart = 0
    var hourStart = 0
    for (index, time) in sends.enumerated() {
      while sends[minuteStart] <= time - 60 { minuteStart += 1 }
      while sends[hourStart] <= time - 3600 { hourStart += 1 }
      #expect(index - minuteStart + 1 <= limits.perMinute)
      #expect(index - hourStart + 1 <= limits.perHour)
    }
    // Two hours' budget takes at least (almost) two hours.
    #expect(sends.last ?? 0 >= 3600)
  }

  @Test func usageCountsTheLastMinuteAndHour() {
    var budget = RateBudget(limits: RateLimits(perMinute: 100, perHour: 1000), margin: 0)
    for second in stride(from: 0.0, to: 600, by: 10) { _ = budget.reserve(now: second) }
    let usage = budget.usage(now: 600)
    #expect(usage.lastMinute == 5)  // 550 … 590
    #expect(usage.lastHour == 60)
    #expect(usage.heldUntil == nil)
    budget.block(until: 700)
    #expect(budget.usage(now: 650).heldUntil == 700)
    #expect(budget.usage(now: 4300).lastHour == 0)
  }

  @Test func blockHoldsEverything() {
    var budget = RateBudget(limits: .eventsAPI)
    budget.block(until: 100)
    #expect(budget.reserve(now: 10) == 100)
  }

  @Test func backoffIsCappedAndJittered() {
    var generator = SystemRandomNumberGenerator()
    let backoff = Backoff.standard
    for attempt in 0..<40 {
      let delay = backoff.delay(attempt: attempt, using: &generator)
      let ceiling = min(30, Double(1 << min(attempt, 30)))
      #expect(delay >= ceiling / 2 && delay <= ceiling)
    }
  }
}
