import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import VigilBase
import VigilCharts
import VigilCore
import VigilDashboards
import VigilJSON
import VigilTestSupport
import VigilWeb

/// The JSON API: dashboards, search in three formats (listings stream), alerts, health, its document.
@Suite struct APITests {

  @Test func searchAnswersInEachFormat() async throws {
    let fixture = try await WebFixture()
    let headers: HTTPFields = [.authorization: "Bearer \(WebFixture.token)"]
    try await fixture.withClient { client in
      try await client.execute(uri: "/api/search?q=signin&last=7d&limit=5", method: .get, headers: headers) {
        response in
        #expect(response.status == .ok)
        let document = try JSONDocument(bytes: Array(buffer: response.body))
        #expect(document.root["rows"]?.count == 5)
        #expect(document.root["columns"]?.count ?? 0 > 3)
      }
      try await client.execute(
        uri: "/api/search?q=signin&last=7d&limit=7&format=ndjson", method: .get, headers: headers
      ) {
        response in
        let lines = String(buffer: response.body).split(separator: "\n")
        #expect(lines.count == 7)
        for line in lines { #expect((try? JSONDocument(String(line)))?.root.kind == .object) }
      }
      try await client.execute(
        uri: "/api/search?q=%7C+count+by+stream&last=7d&format=csv", method: .get, headers: headers
      ) {
        response in
        #expect(response.headers[.contentDisposition]?.contains("attachment") == true)
        let lines = String(buffer: response.body).split(separator: "\r\n")
        #expect(lines.first == "event.stream,count")
        #expect(lines.count == 4)
      }
      try await client.execute(uri: "/api/search?q=usr.email%3Ax&last=7d", method: .get, headers: headers) { response in
        #expect(response.status == .badRequest)
        #expect(String(buffer: response.body).contains("did you mean user.email"))
      }
      try await client.execute(uri: "/api/search?q=signin&last=soon", method: .get, headers: headers) { response in
        #expect(response.status == .badRequest)
      }
    }
  }

  @Test func aLargeListingStreamsWhole() async throws {
    let fixture = try await WebFixture()
    let expected = try await fixture.store.newestSequence()
    try await fixture.withClient { client in
      try await client.execute(
        uri: "/api/search?q=&from=2000-01-01&format=ndjson&limit=1000000", method: .get,
        headers: [.authorization: "Bearer \(WebFixture.token)"]
      ) { response in
        let lines = String(buffer: response.body).split(separator: "\n")
        #expect(Int64(lines.count) == expected)
        #expect(response.body.readableBytes > 64 * 1024, "more than one block")
      }
    }
  }

  @Test func dashboardsAndPanels() async throws {
    let fixture = try await WebFixture()
    let headers: HTTPFields = [.authorization: "Bearer \(WebFixture.token)"]
    try await fixture.withClient { client in
      try await client.execute(uri: "/api/dashboards", method: .get, headers: headers) { response in
        let document = try JSONDocument(bytes: Array(buffer: response.body))
        #expect(document.root.count == 7)
      }
      try await client.execute(uri: "/api/dashboards/signins?last=7d", method: .get, headers: headers) { response in
        let document = try JSONDocument(bytes: Array(buffer: response.body))
        let panels = try #require(document.root["panels"])
        #expect(panels.count > 5)
        for panel in panels.elements {
          #expect(panel["error"] == nil, "\(panel["id"]?.string ?? "?"): \(panel["error"]?.string ?? "")")
          #expect(panel["rows"]?.count ?? 0 > 0, "\(panel["id"]?.string ?? "?") has no rows")
        }
      }
      try await client.execute(uri: "/api/dashboards/nope", method: .get, headers: headers) {
        #expect($0.status == .notFound)
      }
    }
  }

  @Test func alertsAndHealth() async throws {
    let fixture = try await WebFixture()
    let headers: HTTPFields = [.authorization: "Bearer \(WebFixture.token)"]
    try await fixture.withClient { client in
      try await client.execute(uri: "/api/alerts?status=open", method: .get, headers: headers) { response in
        let document = try JSONDocument(bytes: Array(buffer: response.body))
        #expect(document.root.count == 1)
        #expect(Array(document.root.elements).first?["id"]?.string == "alert-1")
      }
      try await client.execute(
        uri: "/api/alerts/alert-1/ack", method: .post, headers: headers, body: ByteBuffer(string: "[1]")
      ) {
        #expect($0.status == .badRequest)
      }
      for bad in ["0", "1001", "ten"] {
        try await client.execute(uri: "/api/alerts?limit=\(bad)", method: .get, headers: headers) {
          #expect($0.status == .badRequest)
        }
      }
      try await client.execute(uri: "/api/alerts?limit=1", method: .get, headers: headers) { response in
        let document = try JSONDocument(bytes: Array(buffer: response.body))
        #expect(document.root.count == 1)
      }
      try await client.execute(uri: "/api/alerts/nope/ack", method: .post, headers: headers) {
        #expect($0.status == .notFound)
      }
      try await client.execute(uri: "/api/health", method: .get, headers: headers) { response in
        let document = try JSONDocument(bytes: Array(buffer: response.body))
        #expect(document.root["streams"]?.count == 3)
        #expect(document.root["detection"]?["alerts"]?["open"]?.int == 1)
        let tokens = try #require(document.root["tokens"])
        #expect(Array(tokens.elements).first?["host"]?.string == "events.1password.com")
        let rate = try #require(document.root["rate_budgets"].flatMap { Array($0.elements).first })
        #expect(rate["account"]?.string == "acme")
        #expect(rate["used_last_hour"]?.int == 27_000)
        #expect(rate["limit_per_hour"]?.int == 30_000)
        #expect(rate["server_remaining"]?.int == 17)
        #expect(rate["held_until"]?.string == SampleEvents.now.adding(seconds: 30).rfc3339)
        let sinks = Array(try #require(document.root["sinks"]).elements)
        #expect(sinks.map { $0["name"]?.string } == ["elastic", "splunk"])
        #expect(sinks.map { $0["state"]?.string } == ["failing", "not started"])
        let newest = try await fixture.store.newestSequence()
        #expect(sinks.first?["backlog_events"]?.int == Int(newest) - 40)
        #expect(sinks.first?["delivered"]?.int == 40)
        #expect(sinks.first?["quarantined"]?.int == 1)
        #expect(sinks.last?["backlog_events"]?.int == Int(newest))
        let lease = try #require(document.root["leases"].flatMap { Array($0.elements).first })
        #expect(lease["unit"]?.string == "collect:acme/signinattempts")
        #expect(lease["holder"]?.string == "host-a:4242")
        #expect(lease["live"]?.bool == true)
      }
      let browser = try await Browser.signedIn(client)
      try await client.execute(uri: "/health", method: .get, headers: browser.headers()) { response in
        let page = String(buffer: response.body)
        #expect(page.contains("Request budget"))
        #expect(page.contains("27000 of 30000"))
        #expect(page.contains("90%"))
        #expect(page.contains(SampleEvents.now.adding(seconds: 30).rfc3339))
        #expect(page.contains("<h2>Sinks</h2>"))
        #expect(page.contains("<td>failing</td>") && page.contains("<td>not started</td>"))
        #expect(page.contains("vigil sinks retry NAME"))
        #expect(page.contains("<h2>Workers</h2>") && page.contains("<td>host-a:4242</td>"))
      }
      try await client.execute(uri: "/metrics", method: .get, headers: headers) { response in
        #expect(String(buffer: response.body) == "up 1\n")
        #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
      }
      try await client.execute(uri: "/api/health", method: .delete, headers: headers) { response in
        #expect(response.status == .methodNotAllowed)
        #expect(response.headers[.allow] == "GET")
      }
    }
  }

  /// The served document is docs/openapi.yaml, byte for byte.
  @Test func servesItsOpenAPIDocument() async throws {
    let fixture = try await WebFixture()
    let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("docs/openapi.yaml")
    let expected = try Data(contentsOf: docs)
    try await fixture.withClient { client in
      try await client.execute(
        uri: "/api/openapi.yaml", method: .get, headers: [.authorization: "Bearer \(WebFixture.token)"]
      ) { response in
        #expect(Data(Array(buffer: response.body)) == expected)
        #expect(String(buffer: response.body).hasPrefix("openapi: 3.1.0"))
      }
    }
  }
}
