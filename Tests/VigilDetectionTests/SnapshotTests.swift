import Foundation
import Testing
import VigilCore
import VigilDetection

/// The state persisted with the detector's checkpoint: stopping anywhere and going on from a snapshot
/// gives the same alerts as never stopping.
@Suite struct SnapshotTests {
  static func rules() throws -> [Rule] {
    let (rules, problems) = RuleReader.read(OrderIndependenceTests.rules, file: "order.yaml")
    #expect(problems.isEmpty)
    return rules
  }

  static func run(
    _ engine: inout DetectionEngine, _ events: ArraySlice<CanonicalEvent>, into alerts: inout [AlertID: Alert]
  ) {
    for event in events {
      for alert in engine.observe(event) { alerts[alert.id] = alert }
    }
  }

  @Test(arguments: [0.1, 0.5, 0.9])
  func aRestartFromASnapshotChangesNothing(at fraction: Double) throws {
    let events = OrderIndependenceTests.events(seed: 11)
    let rules = try Self.rules()
    var straight = DetectionEngine(rules: rules)
    var expected: [AlertID: Alert] = [:]
    Self.run(&straight, events[...], into: &expected)
    for alert in straight.finish() { expected[alert.id] = alert }

    let cut = Int(Double(events.count) * fraction)
    var first = DetectionEngine(rules: rules)
    var alerts: [AlertID: Alert] = [:]
    Self.run(&first, events[..<cut], into: &alerts)
    let bytes = try first.snapshot.encoded()
    #expect(bytes.count > 100)
    var second = DetectionEngine(rules: rules)
    #expect(second.restore(try DetectionSnapshot.decode(bytes)).isEmpty)
    #expect(second.statistics == first.statistics)
    Self.run(&second, events[cut...], into: &alerts)
    for alert in second.finish() { alerts[alert.id] = alert }
    #expect(alerts == expected)
    #expect(!expected.isEmpty)
  }

  @Test func stateOfRemovedRulesIsDroppedAndNamed() throws {
    let rules = try Self.rules()
    var engine = DetectionEngine(rules: rules)
    for event in OrderIndependenceTests.events(seed: 3).prefix(200) { _ = engine.observe(event) }
    var fewer = DetectionEngine(rules: rules.filter { $0.id != "t.spray" })
    #expect(fewer.restore(engine.snapshot) == ["t.spray"])
  }
}
