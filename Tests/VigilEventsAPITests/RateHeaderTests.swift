import Synchronization
import Testing
import VigilBase
import VigilEventsAPI
import VigilEventsAPIModel
import VigilTestSupport

/// The headers and statuses the emulator does not produce, answered by a scripted transport. Each call
/// records the manual clock's time, so waits are measured exactly.
final class ScriptedTransport: HTTPTransport {
  private let script: Mutex<[HTTPExchange]>
  private let times = Mutex<[Double]>([])
  let clock: ManualClock

  init(clock: ManualClock, _ responses: [HTTPExchange]) {
    self.clock = clock
    script = Mutex(responses)
  }

  var callTimes: [Double] { times.withLock { $0 } }

  func send(method: String, url: String, headers: [(String, String)], body: [UInt8]?) async throws -> HTTPExchange {
    times.withLock { $0.append(clock.now.epochSeconds) }
    return script.withLock { $0.isEmpty ? HTTPExchange(status: 599, headers: [:], body: []) : $0.removeFirst() }
  }

  func shutdown() async throws {}
}

@Suite struct RateHeaderTests {
  static let emptyPage = Array(#"{"cursor":"c","has_more":false,"items":[]}"#.utf8)
  static let token: EventsToken? = try? EventsToken(
    Base64URL.encode(Array("{}".utf8)) + "." + Base64URL.encode(Array(#"{"aud":["events.1password.com"]}"#.utf8)) + ".s"
  )

  static func client(_ transport: ScriptedTransport) throws -> EventsAPIClient {
    var configuration = EventsAPIClient.Configuration()
    configuration.maximumAttempts = 3
    return try EventsAPIClient(
      token: try #require(token), configuration: configuration, transport: transport, clock: transport.clock,
      logger: EmulatorHarness.quietLogger)
  }

  static let reset = PageRequest.reset(limit: 10, startTime: nil, endTime: nil)

  @Test func exhaustedRemainingHoldsTheNextRequestUntilReset() async throws {
    let transport = ScriptedTransport(
      clock: ManualClock(start: EmulatorHarness.start),
      [
        HTTPExchange(
          status: 200, headers: ["ratelimit-remaining": "0", "ratelimit-reset": "30"], body: Self.emptyPage),
        HTTPExchange(status: 200, headers: [:], body: Self.emptyPage),
      ])
    let client = try Self.client(transport)
    _ = try await client.page(.auditEvents, request: Self.reset)
    _ = try await client.page(.auditEvents, request: .cursor("c"))
    let times = transport.callTimes
    #expect(times.count == 2)
    #expect(times[1] - times[0] >= 30)
  }

  @Test func rateLimitResetStandsInForRetryAfter() async throws {
    let transport = ScriptedTransport(
      clock: ManualClock(start: EmulatorHarness.start),
      [
        HTTPExchange(status: 429, headers: ["ratelimit-reset": "12"], body: []),
        HTTPExchange(status: 200, headers: [:], body: Self.emptyPage),
      ])
    _ = try await Self.client(transport).page(.auditEvents, request: Self.reset)
    let times = transport.callTimes
    #expect(times.count == 2)
    #expect(times[1] - times[0] >= 12)
  }

  @Test(arguments: [400, 401, 404])
  func clientErrorsAreNeverRetried(status: Int) async throws {
    let transport = ScriptedTransport(
      clock: ManualClock(start: EmulatorHarness.start),
      [HTTPExchange(status: status, headers: [:], body: Array(#"{"Error":{"Message":"no"}}"#.utf8))])
    await #expect(throws: EventsAPIError.self) {
      _ = try await Self.client(transport).page(.auditEvents, request: .cursor("c"))
    }
    #expect(transport.callTimes.count == 1)
  }
}
