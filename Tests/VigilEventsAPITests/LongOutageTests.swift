import Synchronization
import Testing
import VigilBase
import VigilEmulatorCore
import VigilEventsAPI
import VigilEventsAPIModel
import VigilJSON
import VigilTestSupport

/// Back after a long outage, with a cursor the API no longer accepts: the reset must not ask for a start
/// older than the API keeps.
@Suite struct LongOutageTests {
  @Test func aResetAfterARejectedCursorStartsWithinTheServedWindow() async throws {
    let clock = ManualClock(start: EmulatorHarness.start)
    var options = EmulatorOptions()
    options.users = 2
    options.days = 1
    let token = try EventsToken(
      try EmulatorEngine(options: options, clock: clock).issueToken(expiresIn: 400 * 86_400).token)
    let bodies = Mutex<[String]>([])
    let transport = FakeTransport { request in
      let body = String(decoding: request.body ?? [], as: UTF8.self)
      bodies.withLock { $0.append(body) }
      if body.contains("cursor") {
        return HTTPExchange(status: 400, headers: [:], body: Array(#"{"Error":{"Message":"bad cursor"}}"#.utf8))
      }
      return HTTPExchange(
        status: 200, headers: [:], body: Array(#"{"cursor":"fresh","has_more":false,"items":[]}"#.utf8))
    }
    var configuration = EventsAPIClient.Configuration(baseURL: "https://events.1password.com")
    configuration.maximumAttempts = 1
    let client = try EventsAPIClient(
      token: token, configuration: configuration, transport: transport, clock: clock,
      logger: EmulatorHarness.quietLogger)
    var reader = StreamReader(client: client, stream: .signInAttempts, cursor: "stale")
    // The newest event this stream had seen is 130 days old: the outage lasted that long.
    reader.newestTimestamp = clock.now.adding(seconds: -130 * 86_400)
    _ = try await reader.next()
    #expect(reader.cursorResets == 1)
    let reset = try #require(bodies.withLock { $0.last })
    let start = try #require(
      try JSONDocument(bytes: Array(reset.utf8)).root["start_time"]?.string.flatMap(Timestamp.init(rfc3339:)))
    #expect(start >= clock.now.adding(seconds: -120 * 86_400), "\(reset)")
    #expect(start <= clock.now.adding(seconds: -119 * 86_400), "\(reset)")
  }
}
