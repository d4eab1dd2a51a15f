import Testing
import VigilBase
import VigilEmulator
import VigilEmulatorCore
import VigilEventsAPI
import VigilEventsAPIModel
import VigilTestSupport

@Suite struct RateLimitTests {
  /// A client that believes the limit is higher than the server's gets 429s and recovers by waiting
  /// the server's Retry-After.
  @Test func honoursRetryAfter() async throws {
    try await withEmulatorHarness(configure: { $0.limits = RateLimits(perMinute: 5, perHour: 10_000) }) { harness in
      let client = try harness.client(try harness.token(), attempts: 10)
      let before = harness.clock.now
      let (uuids, _) = try await EmulatorHarness.pullAll(client, .itemUsages, limit: 100)
      expectExact(uuids, harness.engine.groundTruth(stream: .itemUsages), "item usages")
      #expect(harness.engine.stats.rateLimited > 0)
      #expect(harness.clock.now.epochSeconds - before.epochSeconds >= 60)
    }
  }

  @Test func backsOffWithoutRetryAfter() async throws {
    try await withEmulatorHarness(configure: {
      $0.limits = RateLimits(perMinute: 5, perHour: 10_000)
      $0.sendRetryAfter = false
    }) { harness in
      let client = try harness.client(try harness.token(), attempts: 12)
      let (uuids, _) = try await EmulatorHarness.pullAll(client, .itemUsages, limit: 100)
      expectExact(uuids, harness.engine.groundTruth(stream: .itemUsages), "item usages")
      #expect(harness.engine.stats.rateLimited > 0)
    }
  }

  /// With the client's budget equal to the server's, not one request is refused, even past the
  /// hourly cap: the client waits instead.
  @Test func staysUnderTheHourlyCapAcrossStreams() async throws {
    let limits = RateLimits(perMinute: 20, perHour: 50)
    try await withEmulatorHarness(configure: { $0.limits = limits }) { harness in
      let token = try harness.token()
      let gate = RateGate(limits: limits, clock: harness.clock)
      var configuration = EventsAPIClient.Configuration(baseURL: harness.emulator.baseURL)
      configuration.limits = limits
      let client = try EventsAPIClient(
        token: token, configuration: configuration, transport: harness.transport, clock: harness.clock, gate: gate,
        logger: EmulatorHarness.quietLogger)
      let before = harness.clock.now
      var pages = 0
      for stream in [EventStream.signInAttempts, .itemUsages] {
        var reader = StreamReader(client: client, stream: stream, startTime: Timestamp(rfc3339: "2020-01-01T00:00:00Z"))
        reader.limit = 3
        for _ in 0..<60 {
          let (_, caughtUp) = try await reader.next()
          pages += 1
          if caughtUp { break }
        }
      }
      #expect(pages >= 2 * limits.perHour)
      #expect(harness.engine.stats.rateLimited == 0)
      #expect(harness.clock.now.epochSeconds - before.epochSeconds > 3600)
    }
  }

  /// The streams of one token share its gate: the budget is handed out for recording at most once per
  /// interval, and counts what this client sent.
  @Test func theBudgetIsReportedOncePerInterval() async throws {
    let clock = ManualClock(start: Timestamp(seconds: 1_000))
    let gate = RateGate(limits: RateLimits(perMinute: 600, perHour: 30_000), clock: clock)
    for _ in 0..<3 { try await gate.acquire() }
    let first = try #require(await gate.usage(every: 5))
    #expect(first.lastMinute == 3 && first.lastHour == 3)
    #expect(await gate.usage(every: 5) == nil)
    clock.advance(seconds: 5)
    await gate.noteServerRemaining(42)
    let later = try #require(await gate.usage(every: 5))
    #expect(later.serverRemaining == 42)
    #expect(await gate.usage(every: 0) != nil)
  }
}
