import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization
import Testing
import VigilBase
import VigilHTTP
import VigilTestSupport

/// The one transport's rules, against a small local server that redirects.
@Suite struct TransportTests {
  /// CPU-heavy suites running beside these can keep the local server from answering for a while:
  /// a generous timeout keeps a slow answer from looking like a failure of the rule under test.
  static var settings: HTTPSettings {
    var settings = HTTPSettings()
    settings.requestTimeout = 600
    return settings
  }

  static let token = "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ2aWdpbCJ9.c2lnbmF0dXJlLXNlY3JldA"

  @Test func redirectsAreReturnedNotFollowedByDefault() async throws {
    try await withRedirectServer { base in
      let transport = try AsyncHTTPTransport(settings: Self.settings)
      defer { Task { try? await transport.shutdown() } }
      let exchange = try await transport.send(method: "GET", url: base + "/to-target", headers: [], body: nil)
      #expect(exchange.status == 302)
      #expect(exchange.headers["location"] == base + "/target")
    }
  }

  /// A proxy set for the outside world (here one that does not exist) is never used for loopback.
  @Test func loopbackIsReachedDirectlyEvenWithAProxy() async throws {
    try await withRedirectServer { base in
      var settings = Self.settings
      settings.proxy = "http://127.0.0.1:9"
      let transport = try AsyncHTTPTransport(settings: settings)
      defer { Task { try? await transport.shutdown() } }
      let exchange = try await transport.send(method: "GET", url: base + "/target", headers: [], body: nil)
      #expect(exchange.status == 200)
    }
  }

  @Test func anHTTPSProxyIsRefusedInsteadOfBeingUsedInClear() {
    var settings = HTTPSettings()
    settings.proxy = "https://proxy.example:3128"
    #expect(throws: HTTPSetupError.httpsProxy) { _ = try AsyncHTTPTransport(settings: settings) }
    settings.proxy = "socks5://proxy.example:1080"
    #expect(throws: HTTPSetupError.proxy) { _ = try AsyncHTTPTransport(settings: settings) }
  }

  @Test func httpsOnlyRedirectsRefuseADowngrade() async throws {
    try await withRedirectServer { base in
      var settings = Self.settings
      settings.redirects = .httpsOnly(maximum: 5)
      let transport = try AsyncHTTPTransport(settings: settings)
      defer { Task { try? await transport.shutdown() } }
      await #expect {
        _ = try await transport.send(
          method: "GET", url: base + "/to-target", headers: [("Authorization", "Bearer \(Self.token)")], body: nil)
      } throws: { error in
        "\(error)".contains("only https:// is followed") && !"\(error)".contains(Self.token)
      }
    }
  }

  @Test func cleartextToANonLoopbackHostIsRefusedBeforeConnecting() async throws {
    let transport = try AsyncHTTPTransport(settings: Self.settings)
    defer { Task { try? await transport.shutdown() } }
    await #expect {
      _ = try await transport.send(
        method: "POST", url: "http://events.example.invalid/api/v2/signinattempts",
        headers: [("Authorization", "Bearer \(Self.token)")], body: [])
    } throws: { error in
      "\(error)".contains("in clear") && !"\(error)".contains(Self.token)
    }
  }

  /// A token with a line break (a wrapped token file) must not come back inside the error.
  @Test func aControlCharacterInAHeaderIsRefusedWithoutEchoingIt() async throws {
    try await withRedirectServer { base in
      let transport = try AsyncHTTPTransport(settings: Self.settings)
      defer { Task { try? await transport.shutdown() } }
      let wrapped = Self.token.prefix(40) + "\n" + Self.token.dropFirst(40)
      await #expect {
        _ = try await transport.send(
          method: "GET", url: base + "/target", headers: [("Authorization", "Bearer \(wrapped)")], body: nil)
      } throws: { error in
        "\(error)".contains("control character") && !"\(error)".contains(Self.token.prefix(20))
      }
    }
  }

  /// The read timeout alone never fires when a byte arrives every 200 ms: the deadline must cover
  /// the whole exchange, body included (without it, this request succeeds after 8 s).
  @Test func aDrippedBodyFailsAtTheExchangeDeadline() async throws {
    try await withRedirectServer { base in
      var settings = HTTPSettings()
      settings.requestTimeout = 1.5
      let transport = try AsyncHTTPTransport(settings: settings)
      defer { Task { try? await transport.shutdown() } }
      await #expect {
        _ = try await transport.send(method: "GET", url: base + "/drip", headers: [], body: nil)
      } throws: { error in
        // Usually the body overruns the deadline; on a loaded machine the head itself may.
        (error as? TransportFailure)?.kind == .interrupted
          && ["took longer than 1.5 s", "request timed out"].contains { "\(error)".contains($0) }
      }
    }
  }

  @Test func aRefusedConnectionIsDescribedWithoutTheHeaders() async throws {
    // A port that was just free: nothing listens there.
    let port = try await withRedirectServer { base in base }
    let transport = try AsyncHTTPTransport(settings: Self.settings)
    defer { Task { try? await transport.shutdown() } }
    await #expect {
      _ = try await transport.send(
        method: "GET", url: port + "/target", headers: [("Authorization", "Bearer \(Self.token)")], body: nil)
    } throws: { error in
      error is TransportFailure && !"\(error)".contains(Self.token)
    }
  }
}

/// A loopback server: `/drip` sends its head at once, then one body byte every 200 ms for 8 s.
/// `/to-target` answers 302 to `/target` (plain http), `/target` answers 200.
func withRedirectServer<T>(_ body: (String) async throws -> T) async throws -> T {
  let router = Router()
  let box = PortBox()
  router.get("/to-target") { _, _ -> Response in
    Response(status: .found, headers: [.location: "http://127.0.0.1:\(box.port)/target"])
  }
  router.get("/target") { _, _ in "ok" }
  router.get("/drip") { _, _ -> Response in
    Response(
      status: .ok, headers: [.contentType: "application/json"],
      body: ResponseBody { writer in
        for _ in 0..<40 {
          try await writer.write(ByteBuffer(string: " "))
          try await Task.sleep(for: .milliseconds(200))
        }
        try await writer.finish(nil)
      })
  }
  return try await withLoopbackServer(router) { port in
    box.port = port
    return try await body("http://127.0.0.1:\(port)")
  }
}

final class PortBox: Sendable {
  private let value = Mutex(0)
  var port: Int {
    get { value.withLock { $0 } }
    set { value.withLock { $0 = newValue } }
  }
}
