import Foundation
import Testing
import VigilCharts
import VigilDashboards
import VigilTestSupport
import VigilYAML

@Suite struct DashboardReaderTests {
  @Test func problemsNameTheirLine() {
    let text = """
      id: Mine
      title: Mine
      colour: blue
      panels:
        - id: one
          title: One
          query: 'signin | top 10 usr'
          chart: pie
        - id: one
          title: Two
          query: 'audit'
          points: '| stats count by geo.city'
      """
    guard case .failure(let error) = DashboardReader.read(text, source: "mine.yaml") else {
      Issue.record("a broken dashboard loaded")
      return
    }
    let messages = error.problems.map(\.description)
    #expect(messages.contains { $0.contains("mine.yaml:1") && $0.contains("id must be lower-case") })
    #expect(messages.contains { $0.contains("colour") })
    #expect(messages.contains { $0.contains(":7") && $0.contains("usr") })
    #expect(messages.contains { $0.contains(":8") && $0.contains("chart pie") })
    #expect(messages.contains { $0.contains("used twice") })
    #expect(messages.contains { $0.contains("points are drawn only on a map") })
  }

  @Test func aUserFolderAddsAndReplacesDashboards() throws {
    let directory = try TemporaryDirectory()
    try """
    id: overview
    title: Our overview
    panels:
      - {id: a, title: Everything, query: '| count', chart: single}
    """.write(toFile: directory.path + "/overview.yaml", atomically: true, encoding: .utf8)
    try """
    id: vpn
    title: VPN sign-ins
    panels:
      - {id: a, title: From the VPN, query: 'signin network:vpn | timechart count', chart: line, width: 3}
    """.write(toFile: directory.path + "/vpn.yml", atomically: true, encoding: .utf8)
    try "not: a dashboard".write(toFile: directory.path + "/notes.txt", atomically: true, encoding: .utf8)
    let library = try DashboardLibrary.load(folder: directory.path)
    #expect(library.dashboards.first?.title == "Our overview")
    #expect(library.dashboards.last?.id == "vpn")
    #expect(library.dashboards.count == 8)
    try "id: broken\n".write(toFile: directory.path + "/broken.yaml", atomically: true, encoding: .utf8)
    #expect(throws: DashboardError.self) { try DashboardLibrary.load(folder: directory.path) }
  }
}
