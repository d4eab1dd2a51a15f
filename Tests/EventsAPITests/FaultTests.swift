import Emulator
import EmulatorCore
import EventsAPI
import EventsAPIModel
import Testing

/// Every transport and server fault, injected at a high rate, still ends in the exact ground truth.
@Suite struct FaultTests {
  static let kinds = ["500", "502", "503", "504", "slow", "reset", "truncate", "invalid", "empty"]

  @Test(arguments: kinds)
  func pullSurvives(fault: String) async throws {
    let harness = try await Harness.start {
      $0.faults = (try? FaultPlan(spec: "\(fault)=0.3,slow-seconds=0.05")) ?? FaultPlan()
    }
    let client = try harness.client(try harness.token(), attempts: 20)
    for stream in EventStream.allCases {
      let (uuids, _) = try await Harness.pullAll(client, stream, limit: 100)
      expectExact(uuids, harness.engine.groundTruth(stream: stream), "\(fault) \(stream)")
    }
    let injected = harness.engine.stats.faults[fault] ?? 0
    #expect(injected > 0, "fault \(fault) was never injected")
    await harness.stop()
  }

  @Test func allFaultsTogether() async throws {
    let harness = try await Harness.start {
      $0.faults =
        (try? FaultPlan(spec: "500=0.05,502=0.05,503=0.05,504=0.05,reset=0.05,truncate=0.05,invalid=0.05,empty=0.1"))
        ?? FaultPlan()
    }
    let client = try harness.client(try harness.token(), attempts: 30)
    for stream in EventStream.allCases {
      let (uuids, _) = try await Harness.pullAll(client, stream, limit: 50)
      expectExact(uuids, harness.engine.groundTruth(stream: stream), "\(stream)")
    }
    await harness.stop()
  }

  @Test func persistentServerErrorsBecomeATypedErrorAfterTheAttempts() async throws {
    let harness = try await Harness.start { $0.faults = (try? FaultPlan(spec: "503=1")) ?? FaultPlan() }
    let client = try harness.client(try harness.token(), attempts: 3)
    await #expect(throws: EventsAPIError.server(status: 503, message: "Service Unavailable", attempts: 3)) {
      _ = try await client.page(.signInAttempts, request: .reset(limit: 10, startTime: nil, endTime: nil))
    }
    await harness.stop()
  }

  @Test func unreachableHostIsATransportError() async throws {
    let harness = try await Harness.start()
    let token = try harness.token()
    await harness.emulator.stop()
    let client = try harness.client(token, attempts: 2)
    do {
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
    try? await harness.transport.shutdown()
  }
}
