import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdBcrypt
import HummingbirdTesting
import Logging
import NIOCore
import VigilBase
import VigilCore
import VigilDashboards
import VigilEventsAPIModel
import VigilJSON
import VigilQuery
import VigilTestSupport
import VigilWeb

/// A web app over an in-memory store with three days of sample events, hostile events, and one alert
/// whose group holds hostile text. One user (`alice`) and one API token.
struct WebFixture {
  static let password = "correct horse battery staple"
  static let token = "vgl_test_token_0123456789abcdef"
  /// bcrypt at the lowest cost: the tests check behaviour, not hashing time.
  static let passwordHash = Bcrypt.hash(password, cost: 4)

  static let hostile = [
    "<script>alert(1)</script>", "\"><svg onload=alert(2)>", "javascript:alert(3)", "x\u{202E}gpj.exe",
    "bell\u{07}\u{1B}[31mred", String(repeating: "W", count: 10_000), "'><img src=x onerror=alert(4)>",
  ]

  let store: any WebStore
  let clock: ManualClock
  let app: WebApp
  let settings: WebSettings
  let alertID: String

  init(tls: Bool = false, configure: (inout WebSettings) -> Void = { _ in }) async throws {
    let store = InMemoryEventStore()
    clock = ManualClock(start: SampleEvents.now)
    var events = SampleEvents.all
    events += Self.hostileEvents()
    for stream in EventStream.allCases {
      let batch = IngestBatch(
        key: StreamKey(account: "acme", stream: stream), events: events.filter { $0.stream == stream }, cursor: "c",
        caughtUp: true, at: SampleEvents.now)
      _ = try await store.commit(batch)
    }
    var alert = AlertRecord(
      id: "alert-1", rule: "signin.test", title: "Test alert " + Self.hostile[0], severity: .high,
      group: ["acme", Self.hostile[1]], groupFields: ["event.account", "user.email"],
      period: 0, first: FieldValue.nanoseconds(SampleEvents.now) - 3_600_000_000_000,
      last: FieldValue.nanoseconds(SampleEvents.now), count: 1, evidence: [AlertEvidence(sequence: 1, uuid: "u")],
      at: SampleEvents.now)
    alert.statusNote = Self.hostile[2]
    _ = try await store.commitDetection([alert], progress: nil, notify: [:], at: SampleEvents.now)
    alertID = alert.id
    // A collector that spent most of its hour and is held back after a 429.
    await store.recordRate(
      RateStatus(
        account: "acme", usedLastMinute: 212, usedLastHour: 27_000, limitPerMinute: 600, limitPerHour: 30_000,
        serverRemaining: 17, heldUntil: SampleEvents.now.adding(seconds: 30), recordedAt: SampleEvents.now))
    // A sink that delivered part of the log, is failing now (with a hostile error), and quarantined one event.
    var sink = SinkStatus(name: "elastic", updatedAt: SampleEvents.now)
    sink.delivered = 40
    sink.isFailing = true
    sink.lastError = "HTTP 400: " + Self.hostile[6]
    sink.lastDeliveryAt = SampleEvents.now
    await store.recordSink(sink)
    // One unit held by a worker, as when processes share a PostgreSQL store.
    _ = await store.acquireLease("collect:acme/signinattempts", holder: "host-a:4242", seconds: 86_400)
    await store.quarantine([
      QuarantineEntry(
        sink: "elastic", sequence: 2, account: "acme", stream: .signInAttempts, uuid: "u", reason: "mapping",
        at: SampleEvents.now)
    ])
    try await store.saveCheckpoint(SinkStatus.consumer("elastic"), sequence: 40, at: SampleEvents.now)
    var settings = WebSettings()
    settings.enabled = true
    settings.users = [.init(name: "alice", passwordHash: Self.passwordHash)]
    settings.apiTokens = [.init(name: "ci", tokenHash: SecureToken.tokenHash(Self.token))]
    if tls {
      settings.tlsCertificate = "/nonexistent/cert.pem"
      settings.tlsKey = "/nonexistent/key.pem"
    }
    configure(&settings)
    self.settings = settings
    self.store = store
    app = WebApp(
      settings: settings, store: store, library: try DashboardLibrary.builtin(), clock: clock,
      logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }), metrics: { Array("up 1\n".utf8) },
      tokens: [
        AccountToken(
          account: "acme", host: "events.1password.com", features: ["signinattempts", "auditevents"],
          expiresAt: SampleEvents.now.adding(seconds: 10 * 86_400))
      ], sinks: ["elastic", "splunk"])
  }

  /// Events whose every free-text field is hostile, spread over the last day.
  static func hostileEvents() -> [CanonicalEvent] {
    var events: [CanonicalEvent] = []
    for (index, text) in hostile.enumerated() {
      for stream in EventStream.allCases {
        var event = CanonicalEvent(
          account: "acme", stream: stream, uuid: "HOSTILE\(index)\(stream.rawValue)",
          time: SampleEvents.now.adding(seconds: -Double(index + 1) * 600), ingestedAt: SampleEvents.now,
          raw: Array("{}".utf8))
        event.action = stream == .signInAttempts ? "credentials_failed" : text
        event.outcome = .failure
        event.type = text
        event.user.email = text
        event.user.name = text
        event.sourceIP = "203.0.113.\(index + 1)"
        event.geo.countryCode = index == 0 ? "RU" : String(text.prefix(2))
        event.geo.countryName = text
        event.geo.city = text
        event.geo.region = text
        event.geo.latitude = 55
        event.geo.longitude = 37
        event.client.app = text
        event.client.os = text
        event.client.platform = text
        event.details = text
        event.itemID = text
        event.vaultID = text
        event.target.type = text
        events.append(event)
      }
    }
    return events
  }

  func withClient(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
    let application = Application(router: app.router())
    try await application.test(.router) { client in try await body(client) }
  }
}

/// A browser's view of one session: its cookie and CSRF token.
struct Browser: Sendable {
  var cookie: String
  var csrf: String

  static func cookie(from response: TestResponse) -> String? {
    guard let header = response.headers[values: .setCookie].first(where: { $0.hasPrefix("vigil_session=") }) else {
      return nil
    }
    return String(header.prefix { $0 != ";" })
  }

  static func csrf(in body: String) -> String? {
    guard let range = body.range(of: "name=\"_csrf\" value=\"") else { return nil }
    return String(body[range.upperBound...].prefix { $0 != "\"" })
  }

  /// Opens the login page: an anonymous session with its form token.
  static func anonymous(_ client: some TestClientProtocol) async throws -> Browser {
    try await client.execute(uri: "/login", method: .get) { response in
      let body = String(buffer: response.body)
      guard let cookie = cookie(from: response), let csrf = csrf(in: body) else {
        throw FixtureError("no login session")
      }
      return Browser(cookie: cookie, csrf: csrf)
    }
  }

  /// Signs in as alice; returns the signed-in session (its CSRF token read from a page).
  static func signedIn(_ client: some TestClientProtocol, password: String = WebFixture.password) async throws
    -> Browser
  {
    let anonymous = try await anonymous(client)
    let signedIn = try await client.execute(
      uri: "/login", method: .post, headers: anonymous.headers(form: true),
      body: ByteBuffer(
        string: "_csrf=\(anonymous.csrf)&name=alice&password=\(password.replacingAll(" ", "+"))&next=%2Fhealth")
    ) { response in
      guard response.status == .seeOther, let cookie = cookie(from: response) else {
        throw FixtureError("sign-in failed: \(response.status)")
      }
      return cookie
    }
    let csrf = try await client.execute(uri: "/health", method: .get, headers: [.cookie: signedIn]) { response in
      guard let csrf = Browser.csrf(in: String(buffer: response.body)) else { throw FixtureError("no csrf on a page") }
      return csrf
    }
    return Browser(cookie: signedIn, csrf: csrf)
  }

  func headers(form: Bool = false) -> HTTPFields {
    var headers: HTTPFields = [.cookie: cookie]
    if form { headers[.contentType] = "application/x-www-form-urlencoded" }
    return headers
  }
}

struct FixtureError: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}

extension String {
  func replacingAll(_ target: Character, _ replacement: String) -> String {
    var out = ""
    for character in self { if character == target { out += replacement } else { out.append(character) } }
    return out
  }
}
