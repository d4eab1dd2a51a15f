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

/// Who may see what: nothing but the login page, health probes and static assets without a session or
/// token; sessions rotate at sign-in, forms and session API calls need their CSRF token, failures are
/// throttled, cookies carry their flags, every answer carries the security headers.
@Suite struct AccessTests {
  static let pages = [
    "/", "/d/overview", "/d/signins", "/d/failed-signins", "/d/map", "/d/item-usage", "/d/audit", "/d/threat-intel",
    "/search", "/search?q=signin", "/alerts", "/alerts/alert-1", "/health", "/no-such-page",
  ]
  static let api = [
    "/api/dashboards", "/api/dashboards/overview", "/api/search?q=signin", "/api/alerts", "/api/alerts/alert-1",
    "/api/health", "/api/openapi.yaml", "/metrics",
  ]

  @Test func nothingAnswersWithoutASessionOrToken() async throws {
    let fixture = try await WebFixture()
    try await fixture.withClient { client in
      for path in Self.pages {
        try await client.execute(uri: path, method: .get) { response in
          #expect(response.status == .seeOther, "\(path) answered \(response.status) without a session")
          #expect(response.headers[.location]?.hasPrefix("/login?next=") == true)
          #expect(String(buffer: response.body).isEmpty)
        }
      }
      for path in Self.api {
        try await client.execute(uri: path, method: .get) { response in
          #expect(response.status == .unauthorized, "\(path) answered \(response.status) without a token")
          #expect(!String(buffer: response.body).contains("signin"))
        }
      }
      for path in ["/alerts/alert-1/ack", "/alerts/alert-1/close", "/logout"] {
        try await client.execute(uri: path, method: .post) { response in
          #expect(response.status == .forbidden, "POST \(path) answered \(response.status)")
        }
      }
      try await client.execute(uri: "/api/alerts/alert-1/ack", method: .post) { response in
        #expect(response.status == .unauthorized)
      }
      try await client.execute(uri: "/api/search?q=signin", method: .get, headers: [.authorization: "Bearer wrong"]) {
        response in
        #expect(response.status == .unauthorized)
      }
    }
    // Nothing changed behind the refusals.
    #expect(try await fixture.store.alert(fixture.alertID)?.status == .open)
  }

  @Test func probesLoginAndAssetsAreOpen() async throws {
    let fixture = try await WebFixture()
    try await fixture.withClient { client in
      try await client.execute(uri: "/healthz", method: .get) { #expect(String(buffer: $0.body) == "ok\n") }
      try await client.execute(uri: "/readyz", method: .get) { #expect(String(buffer: $0.body) == "ready\n") }
      try await client.execute(uri: "/login", method: .get) { #expect($0.status == .ok) }
      try await client.execute(uri: "/static/vigil.css", method: .get) { response in
        #expect(response.status == .ok)
        #expect(response.headers[.contentType]?.hasPrefix("text/css") == true)
      }
      try await client.execute(uri: "/static/vigil.js", method: .get) { #expect($0.status == .ok) }
    }
  }

  @Test func signInRotatesTheSessionAndSignOutEndsIt() async throws {
    let fixture = try await WebFixture()
    try await fixture.withClient { client in
      let anonymous = try await Browser.anonymous(client)
      let browser = try await Browser.signedIn(client)
      #expect(browser.cookie != anonymous.cookie)
      #expect(browser.csrf != anonymous.csrf)
      // The pre-login session id does not become a signed-in one.
      try await client.execute(uri: "/health", method: .get, headers: anonymous.headers()) { response in
        #expect(response.status == .seeOther)
      }
      try await client.execute(uri: "/health", method: .get, headers: browser.headers()) { response in
        #expect(response.status == .ok)
        #expect(String(buffer: response.body).contains("alice"))
      }
      try await client.execute(
        uri: "/logout", method: .post, headers: browser.headers(form: true),
        body: ByteBuffer(string: "_csrf=\(browser.csrf)")
      ) { response in
        #expect(response.status == .seeOther)
        #expect(response.headers[values: .setCookie].contains { $0.contains("Max-Age=0") })
      }
      try await client.execute(uri: "/health", method: .get, headers: browser.headers()) { response in
        #expect(response.status == .seeOther)
      }
    }
  }

  @Test func cookieFlagsAndSecurityHeaders() async throws {
    for tls in [false, true] {
      let fixture = try await WebFixture(tls: tls)
      try await fixture.withClient { client in
        try await client.execute(uri: "/login", method: .get) { response in
          let cookie = try #require(response.headers[values: .setCookie].first { $0.hasPrefix("vigil_session=") })
          #expect(cookie.contains("HttpOnly"))
          #expect(cookie.contains("SameSite=Strict"))
          #expect(cookie.contains("Path=/"))
          #expect(cookie.contains("Secure") == tls)
          let csp = try #require(response.headers[.contentSecurityPolicy])
          #expect(csp.contains("script-src 'self'"))
          #expect(csp.contains("frame-ancestors 'none'"))
          #expect(!csp.contains("unsafe-inline"))
          #expect(response.headers[.xContentTypeOptions] == "nosniff")
          #expect((response.headers[.strictTransportSecurity] != nil) == tls)
          #expect(response.headers[.cacheControl] == "no-store")
        }
        try await client.execute(uri: "/d/overview", method: .get) { response in
          #expect(response.headers[.contentSecurityPolicy] != nil)
        }
      }
    }
  }

  @Test func formsAndSessionAPICallsNeedTheirCSRFToken() async throws {
    let fixture = try await WebFixture()
    try await fixture.withClient { client in
      let browser = try await Browser.signedIn(client)
      try await client.execute(
        uri: "/alerts/alert-1/ack", method: .post, headers: browser.headers(form: true),
        body: ByteBuffer(string: "note=x")
      ) { response in #expect(response.status == .forbidden) }
      try await client.execute(
        uri: "/alerts/alert-1/ack", method: .post, headers: browser.headers(form: true),
        body: ByteBuffer(string: "_csrf=\(String(repeating: "0", count: 64))")
      ) { response in #expect(response.status == .forbidden) }
      try await client.execute(uri: "/api/alerts/alert-1/close", method: .post, headers: browser.headers()) {
        response in
        #expect(response.status == .forbidden)
      }
      #expect(try await fixture.store.alert(fixture.alertID)?.status == .open)
      try await client.execute(
        uri: "/alerts/alert-1/ack", method: .post, headers: browser.headers(form: true),
        body: ByteBuffer(string: "_csrf=\(browser.csrf)&note=looking")
      ) { response in
        #expect(response.status == .seeOther)
        #expect(response.headers[.location] == "/alerts/alert-1")
      }
      let acknowledged = try await fixture.store.alert(fixture.alertID)
      #expect(acknowledged?.status == .acknowledged)
      #expect(acknowledged?.statusBy == "alice")
      var headers = browser.headers()
      headers[HTTPField.Name("X-CSRF-Token")!] = browser.csrf
      try await client.execute(uri: "/api/alerts/alert-1/close", method: .post, headers: headers) { response in
        #expect(response.status == .ok)
      }
      #expect(try await fixture.store.alert(fixture.alertID)?.status == .closed)
      // An API token needs no CSRF token: no browser sends it on its own.
      try await client.execute(
        uri: "/api/alerts/alert-1/reopen", method: .post, headers: [.authorization: "Bearer \(WebFixture.token)"],
        body: ByteBuffer(string: "{\"note\":\"again\"}")
      ) { response in
        #expect(response.status == .ok)
        #expect(String(buffer: response.body).contains("\"status_by\":\"ci\""))
      }
      #expect(try await fixture.store.alert(fixture.alertID)?.status == .open)
    }
  }

  @Test func loginIsThrottledAfterRepeatedFailures() async throws {
    let fixture = try await WebFixture()
    try await fixture.withClient { client in
      for attempt in 1...6 {
        let browser = try await Browser.anonymous(client)
        try await client.execute(
          uri: "/login", method: .post, headers: browser.headers(form: true),
          body: ByteBuffer(string: "_csrf=\(browser.csrf)&name=alice&password=wrong\(attempt)")
        ) { response in
          #expect(response.status == (attempt <= 5 ? .unauthorized : .tooManyRequests), "attempt \(attempt)")
        }
      }
      // Even the right password waits until the window passes.
      await #expect(throws: FixtureError.self) { _ = try await Browser.signedIn(client) }
      fixture.clock.advance(seconds: 15 * 60 + 1)
      _ = try await Browser.signedIn(client)
    }
  }

  @Test func wrongPasswordsAndUnknownUsersGetTheSameAnswer() async throws {
    let fixture = try await WebFixture()
    try await fixture.withClient { client in
      var bodies: [String] = []
      for name in ["alice", "mallory"] {
        let browser = try await Browser.anonymous(client)
        try await client.execute(
          uri: "/login", method: .post, headers: browser.headers(form: true),
          body: ByteBuffer(string: "_csrf=\(browser.csrf)&name=\(name)&password=nope")
        ) { response in
          #expect(response.status == .unauthorized)
          bodies.append(String(buffer: response.body).replacingAll("\n", ""))
        }
      }
      #expect(bodies.allSatisfy { $0.contains("Wrong name or password.") })
    }
  }

  @Test func sessionsEndWhenIdleAndAfterTheirLifetime() async throws {
    let fixture = try await WebFixture {
      $0.idleTimeout = 600; $0.absoluteTimeout = 1_500
    }
    try await fixture.withClient { client in
      let idle = try await Browser.signedIn(client)
      fixture.clock.advance(seconds: 601)
      try await client.execute(uri: "/health", method: .get, headers: idle.headers()) {
        #expect($0.status == .seeOther)
      }
      let busy = try await Browser.signedIn(client)
      for _ in 0..<3 {
        fixture.clock.advance(seconds: 500)
        try await client.execute(uri: "/health", method: .get, headers: busy.headers()) { #expect($0.status == .ok) }
      }
      fixture.clock.advance(seconds: 100)
      try await client.execute(uri: "/health", method: .get, headers: busy.headers()) {
        #expect($0.status == .seeOther)
      }
    }
  }

  @Test func loginOnlyRedirectsWithinTheApp() async throws {
    let fixture = try await WebFixture()
    try await fixture.withClient { client in
      for (next, expected) in [
        ("%2Falerts", "/alerts"), ("https%3A%2F%2Fevil.example", "/"), ("%2F%2Fevil.example", "/"),
      ] {
        let browser = try await Browser.anonymous(client)
        try await client.execute(
          uri: "/login", method: .post, headers: browser.headers(form: true),
          body: ByteBuffer(
            string: "_csrf=\(browser.csrf)&name=alice&password=correct+horse+battery+staple&next=\(next)")
        ) { response in
          #expect(response.headers[.location] == expected)
        }
      }
    }
  }
}
