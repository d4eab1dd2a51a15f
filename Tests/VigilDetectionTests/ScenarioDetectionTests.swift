import Testing
import VigilBase
import VigilCore
import VigilDetection
import VigilEmulatorCore
import VigilEventsAPIModel
import VigilJSON
import VigilTestSupport

/// The built-in pack against the emulator's ground truth: every attack scenario raises an alert on its
/// own events, and the benign organisation raises no high or critical alert.
@Suite struct ScenarioDetectionTests {
  /// Seed 1 with 200 users is `vigil demo`'s organisation.
  @Test(arguments: [(7, 120), (1, 200)] as [(UInt64, Int)])
  func everyScenarioIsAlertedAndTheBenignOrganisationIsQuiet(seed: UInt64, users: Int) throws {
    var options = EmulatorOptions()
    options.users = users
    options.days = 30
    options.seed = seed
    let emulator = try EmulatorEngine(
      options: options, clock: ManualClock(start: Timestamp.fixture("2026-11-20T00:00:00Z")))
    // Delivered as a collector would: each stream in insertion order, the streams interleaved.
    var items: [(EventStream, EmulatedEvent)] = []
    for stream in EventStream.allCases {
      items += emulator.allEvents(stream: stream).map { (stream, $0) }
    }
    items.sort { $0.1.insertedAt < $1.1.insertedAt }
    var engine = DetectionEngine(rules: RuleLibrary.builtIn.rules)
    var alerts: [AlertID: Alert] = [:]
    for (index, (stream, item)) in items.enumerated() {
      var writer = JSONWriter(capacity: 768)
      WireEncoder(version: .v2).encode(item.event, into: &writer)
      let event = try #require(
        Normalizer.normalize(raw: writer.bytes, account: "acme", stream: stream, ingestedAt: item.insertedAt))
      for alert in engine.observe(event, sequence: Int64(index + 1)) { alerts[alert.id] = alert }
    }
    for alert in engine.finish() { alerts[alert.id] = alert }

    var scenarioOf: [String: ScenarioName] = [:]
    for scenario in emulator.scenarios {
      for event in scenario.events { scenarioOf[event.uuid] = scenario.name }
    }
    #expect(emulator.scenarios.count == ScenarioName.attacks.count)
    for scenario in emulator.scenarios {
      let uuids = Set(scenario.events.map(\.uuid))
      // An alert whose evidence is entirely this scenario's events.
      let raised = alerts.values.filter { alert in
        alert.evidence.allSatisfy { uuids.contains($0.uuid) } && !alert.evidence.isEmpty
      }
      #expect(!raised.isEmpty, "scenario \(scenario.name.rawValue) raised no alert of its own")
    }
    let benign = alerts.values.filter { alert in
      alert.severity >= .high && alert.evidence.allSatisfy { scenarioOf[$0.uuid] == nil }
    }
    #expect(benign.isEmpty, "\(benign.map { "\($0.id.rule) \($0.id.group)" })")
    #expect(engine.statistics.tooLate == 0)
  }
}
