import Testing
import VigilBase
import VigilEmulator
import VigilEmulatorCore
import VigilHTTP
import VigilTestSupport

/// The emulator's admin API answers only what a local tool sends: JSON, to a loopback Host, within bounds.
@Suite struct AdminSecurityTests {
  func post(_ harness: EmulatorHarness, _ path: String, body: String, headers: [(String, String)]) async throws -> Int {
    try await harness.transport.send(
      method: "POST", url: harness.emulator.baseURL + path, headers: headers, body: Array(body.utf8)
    ).status
  }

  @Test func aBrowserStylePostIsRefused() async throws {
    try await withEmulatorHarness { harness in
      let before = harness.engine.now
      let plain = try await post(
        harness, "/admin/clock/advance", body: #"{"seconds":60}"#, headers: [("Content-Type", "text/plain")])
      #expect(plain == 415)
      let rebound = try await post(
        harness, "/admin/clock/advance", body: #"{"seconds":60}"#,
        headers: [("Content-Type", "application/json"), ("Host", "attacker.example")])
      #expect(rebound == 403)
      #expect(harness.engine.now == before, "the clock moved")
      let json = try await post(
        harness, "/admin/clock/advance", body: #"{"seconds":60}"#, headers: [("Content-Type", "application/json")])
      #expect(json == 200)
    }
  }

  @Test(arguments: [#"{"seconds":1e19}"#, #"{"seconds":1e10}"#, #"{"seconds":-1}"#])
  func aHugeClockAdvanceIsRefused(body: String) async throws {
    try await withEmulatorHarness { harness in
      let before = harness.engine.now
      let status = try await post(
        harness, "/admin/clock/advance", body: body, headers: [("Content-Type", "application/json")])
      #expect(status == 400)
      #expect(harness.engine.now == before)
    }
  }

  @Test func anAbsurdTokenLifetimeIsRefused() async throws {
    try await withEmulatorHarness { harness in
      let status = try await post(
        harness, "/admin/tokens", body: #"{"expires_in":1e300}"#, headers: [("Content-Type", "application/json")])
      #expect(status == 400)
    }
  }
}
