import Foundation
import Testing
import VigilCharts
import VigilCore
import VigilDashboards
import VigilEventsAPIModel
import VigilQuery
import VigilTestSupport

/// The built-in dashboards load, every panel's query plans and gives data over the sample events, and
/// every peer panel has the Vigil panel that answers it (or says why none does).
@Suite struct BuiltinDashboardTests {
  static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

  @Test func theBuiltinSetLoads() throws {
    let library = try DashboardLibrary.builtin()
    #expect(
      library.dashboards.map(\.id) == [
        "overview", "signins", "failed-signins", "map", "item-usage", "audit", "threat-intel",
      ])
    for dashboard in library.dashboards {
      #expect(!dashboard.panels.isEmpty)
      #expect(Set(dashboard.panels.map(\.id)).count == dashboard.panels.count)
    }
  }

  @Test func everyPeerPanelIsAnswered() throws {
    let library = try DashboardLibrary.builtin()
    let text = try String(contentsOf: Self.fixtures.appendingPathComponent("peer-panels.txt"), encoding: .utf8)
    let lines = text.split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") && !$0.isEmpty }
    let answered = lines.filter { !$0.contains(" | ") }
    var answers: [String: [String]] = [:]
    for dashboard in library.dashboards {
      for panel in dashboard.panels {
        for answer in panel.answers { answers[answer, default: []].append("\(dashboard.id)/\(panel.id)") }
      }
    }
    for peer in answered {
      #expect(answers[peer] != nil, "no Vigil panel answers \(peer)")
    }
    // No panel claims a peer panel that is not on the list (a typo would hide a gap).
    for answer in answers.keys { #expect(answered.contains(answer), "\(answer) is not a peer panel on the list") }
    #expect(answered.count >= 115)
  }

  @Test func everyPanelGivesDataOverTheSampleEvents() async throws {
    let store = InMemoryEventStore()
    for stream in EventStream.allCases {
      _ = try await store.commit(
        IngestBatch(
          key: StreamKey(account: "acme", stream: stream), events: SampleEvents.of(stream), cursor: nil, caughtUp: true,
          at: SampleEvents.now))
    }
    let now = FieldValue.nanoseconds(SampleEvents.now)
    for dashboard in try DashboardLibrary.builtin().dashboards {
      for panel in dashboard.panels {
        let view = await PanelRunner.run(panel, window: TimeWindow(last: "7d"), now: now, on: store)
        #expect(view.problem == nil, "\(dashboard.id)/\(panel.id): \(view.problem ?? "")")
        // Threat intel and networks need feeds and databases, and some audit actions are rare: the
        // sample events (three days, no enrichment) do not carry them.
        let rare = [
          "threat.feed", "source.as", "target.type:gm", "sa OR satoken", "target.type:group", "target.type:user",
        ]
        if !rare.contains(where: panel.query.contains) {
          #expect(!view.rows.isEmpty, "\(dashboard.id)/\(panel.id) has no rows")
        }
      }
    }
  }
}
