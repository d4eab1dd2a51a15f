import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import VigilBase
import VigilCore
import VigilDashboards
import VigilJSON
import VigilWeb

/// Events whose names, emails, cities, apps and details hold markup, `javascript:` URLs, bidi overrides,
/// control characters and 10 kB strings render as inert text on every page and in every chart. (The
/// browser suite checks the same pages in Chromium.)
@Suite struct HostileDataTests {
  static let pages = [
    "/d/overview", "/d/signins", "/d/failed-signins", "/d/map", "/d/item-usage", "/d/audit", "/d/threat-intel",
    "/search?q=signin&last=7d", "/search?q=%7C+top+10+user&last=7d", "/search?q=%7C+geo&last=7d",
    "/search?q=%7C+timechart+count+by+app&last=7d", "/search?q=%3Cscript%3E&last=7d", "/alerts", "/alerts/alert-1",
    "/health",
  ]

  /// Every literal `<` starts a tag the app wrote (text and attribute values escape `<` and `>`), so the
  /// tags can be read off the page: no element or event-handler attribute may come from data.
  static let elements: Set<String> = [
    "!doctype", "html", "head", "meta", "title", "link", "script", "body", "a", "header", "nav", "ul", "li", "form",
    "span", "input", "button", "main", "h1", "h2", "p", "div", "section", "svg", "desc", "g", "path", "rect",
    "circle", "line", "text", "details", "summary", "table", "caption", "thead", "tbody", "tr", "th", "td", "label",
    "select", "option", "pre", "dl", "dt", "dd",
  ]

  static func checkInert(_ page: String, path: String) {
    // The one script is the app's own file.
    #expect(page.components(separatedBy: "<script").count == 2, "\(path): a script element from data")
    #expect(page.contains("<script src=\"/static/vigil.js\" defer></script>"))
    for needle in ["\u{202E}", "\u{07}", "\u{1B}"] {
      #expect(!page.contains(needle), "\(path) contains \(needle.unicodeScalars.map { $0.value })")
    }
    for tag in page.split(separator: "<").dropFirst() {
      let inside = tag.prefix { $0 != ">" }
      if inside.hasPrefix("/") { continue }
      let name = inside.prefix { $0 != " " && $0 != ">" }.lowercased()
      #expect(elements.contains(name), "\(path): element <\(name.prefix(40))>")
      var rest = inside.dropFirst(name.count)
      while let equals = rest.firstIndex(of: "=") {
        let attribute = rest[..<equals].split(separator: " ").last.map(String.init) ?? ""
        #expect(!attribute.lowercased().hasPrefix("on"), "\(path): attribute \(attribute) on <\(name)>")
        if attribute == "href" {
          let value = rest[rest.index(after: equals)...].dropFirst().prefix { $0 != "\"" }
          #expect(value.hasPrefix("/") || value.hasPrefix("#"), "\(path): link to \(value.prefix(40))")
        }
        // Skip the quoted value.
        let afterQuote = rest[rest.index(after: equals)...].dropFirst()
        rest = afterQuote.drop { $0 != "\"" }.dropFirst()
      }
    }
    // A 10 kB value is cut, not printed whole.
    #expect(!page.contains(String(repeating: "W", count: 1_000)), "\(path): an unbounded value")
    #expect(page.utf8.count < 3_000_000)
  }

  @Test func everyPageRendersHostileEventsInert() async throws {
    let fixture = try await WebFixture()
    try await fixture.withClient { client in
      let browser = try await Browser.signedIn(client)
      for path in Self.pages {
        try await client.execute(uri: path, method: .get, headers: browser.headers()) { response in
          #expect(response.status == .ok, "\(path): \(response.status)")
          let page = String(buffer: response.body)
          Self.checkInert(page, path: path)
        }
      }
    }
  }

  @Test func hostileDataIsVisibleAsText() async throws {
    let fixture = try await WebFixture()
    try await fixture.withClient { client in
      let browser = try await Browser.signedIn(client)
      try await client.execute(uri: "/alerts/alert-1", method: .get, headers: browser.headers()) { response in
        let page = String(buffer: response.body)
        #expect(page.contains("Test alert &lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(page.contains("&quot;&gt;&lt;svg onload=alert(2)&gt;"))
        #expect(page.contains("javascript:alert(3)"))  // the note, as text
      }
      try await client.execute(uri: "/health", method: .get, headers: browser.headers()) { response in
        #expect(String(buffer: response.body).contains("expires in 10 days"))
      }
      try await client.execute(uri: "/d/signins?last=7d", method: .get, headers: browser.headers()) { response in
        let page = String(buffer: response.body)
        #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(page.contains("x\u{FFFD}gpj.exe"))
      }
    }
  }

  @Test func jsonAnswersKeepHostileTextAsStrings() async throws {
    let fixture = try await WebFixture()
    try await fixture.withClient { client in
      try await client.execute(
        uri: "/api/search?q=user%3A%2Ascript%2A+%7C+top+20+user&last=7d", method: .get,
        headers: [.authorization: "Bearer \(WebFixture.token)"]
      ) { response in
        #expect(response.headers[.contentType] == "application/json")
        let body = String(buffer: response.body)
        #expect(body.contains("\\u003cscript\\u003e") || body.contains("<script>"))
        #expect(!body.contains("\u{1B}"))
      }
    }
  }
}
