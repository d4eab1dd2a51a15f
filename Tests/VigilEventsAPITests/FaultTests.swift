import Testing
import VigilEmulator
import VigilEmulatorCore
import VigilEventsAPI
import VigilEventsAPIModel
import VigilTestSupport

/// Every transport and server fault, injected at a high rate, still ends in the exact ground truth.
@Suite struct FaultTests {
  static let kinds = ["500", "502", "503", "504", "slow", "reset", "truncate", "invalid", "empty"]

  @Test(arguments: kinds)
  func pullSurvives(fault: String) async throws {
    try await withEmulatorHarness(configure: {
      $0.faults = try FaultPlan(spec: "\(fault)=0.3,slow-seconds=0.05")
    }) { harness in
      let client = try harness.client(try harness.token(), attempts: 20)
      for stream in EventStream.allCases {
        let (uuids, _) = try await EmulatorHarness.pullAll(client, stream, limit: 100)
        expectExact(uuids, harness.engine.groundTruth(stream: stream), "\(fault) \(stream)")
      }
      let injected = harness.engine.stats.faults[fault] ?? 0
      #expect(injected > 0, "fault \(fault) was never injected")
    }
  }

  @Test func allFaultsTogether() async throws {
    let plan = try FaultPlan(
      spec: "500=0.08,502=0.08,503=0.08,504=0.08,reset=0.08,truncate=0.08,invalid=0.08,empty=0.1")
    try await withEmulatorHarness(configure: { $0.faults = plan }) { harness in
      let client = try harness.client(try harness.token(), attempts: 30)
      for stream in EventStream.allCases {
        let (uuids, _) = try await EmulatorHarness.pullAll(client, stream, limit: 50)
        expectExact(uuids, harness.engine.groundTruth(stream: stream), "\(stream)")
      }
      let injected = harness.engine.stats.faults
      for kind in plan.rates.keys {
        #expect(injected[kind.rawValue, default: 0] > 0, "fault \(kind.rawValue) was never injected")
      }
    }
  }

  @Test func persistentServerErrorsBecomeATypedErrorAfterTheAttempts() async throws {
    try await withEmulatorHarness(configure: { $0.faults = try FaultPlan(spec: "503=1") }) { harness in
      let client = try harness.client(try harness.token(), attempts: 3)
      await #expect(throws: EventsAPIError.server(status: 503, message: "Service Unavailable", attempts: 3)) {
        _ = try await client.page(.signInAttempts, request: .reset(limit: 10, startTime: nil, endTime: nil))
      }
    }
  }

  /// A server that is reached but cuts every response short is not a URL or proxy problem.
  @Test(arguments: ["truncate", "reset"])
  func brokenOffResponsesAreToldFromAnUnreachableHost(fault: String) async throws {
    try await withEmulatorHarness(configure: { $0.faults = try FaultPlan(spec: "\(fault)=1") }) { harness in
      let client = try harness.client(try harness.token(), attempts: 2)
      do throws(EventsAPIError) {
        _ = try await client.page(.signInAttempts, request: .reset(limit: 10, startTime: nil, endTime: nil))
        Issue.record("expected the response to break off")
      } catch {
        #expect(harness.engine.stats.faults[fault, default: 0] == 2, "the fault was not injected twice")
        guard case .interrupted(_, let attempts) = error else {
          Issue.record("unexpected \(error)")
          return
        }
        #expect(attempts == 2)
        #expect(!error.description.contains("check the URL"))
      }
    }
  }

  @Test func unreachableHostIsATransportError() async throws {
    try await withEmulatorHarness { harness in
      let token = try harness.token()
      await harness.emulator.stop()
      let client = try harness.client(token, attempts: 2)
      do throws(EventsAPIError) {
        _ = try await client.page(.signInAttempts, request: .reset(limit: 10, startTime: nil, endTime: nil))
        Issue.record("expected a transport error")
      } catch {
        guard case .transport(_, let attempts) = error else {
          Issue.record("unexpected \(error)")
          return
        }
        #expect(attempts == 2)
        #expect(error.description.contains("cannot reach the Events API"))
      }
    }
  }
}
