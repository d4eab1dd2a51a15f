import Foundation
import Logging
import ServiceLifecycle
import Testing
import VigilBase
import VigilDashboards
import VigilHTTP
import VigilTestSupport
import VigilWeb

/// `web.tls`: the app serves https from PEM files (a fresh self-signed certificate), with HSTS and a
/// Secure cookie; a certificate it cannot read stops the start with a message that names the files.
@Suite struct TLSTests {
  static func selfSigned(in directory: String) async throws -> (cert: String, key: String) {
    let cert = directory + "/vigil.crt"
    let key = directory + "/vigil.key"
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
    process.arguments = [
      "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out",
      cert, "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
    ]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    // Waited for off the concurrency pool: on two cores a blocked pool thread stalls every other test.
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
      DispatchQueue.global().async {
        process.waitUntilExit()
        continuation.resume()
      }
    }
    guard process.terminationStatus == 0 else { throw FixtureError("openssl could not make a certificate") }
    return (cert, key)
  }

  @Test func servesHTTPSWithHSTSAndSecureCookies() async throws {
    let directory = try TemporaryDirectory()
    let files = try await Self.selfSigned(in: directory.path)
    let fixture = try await WebFixture {
      $0.tlsCertificate = files.cert
      $0.tlsKey = files.key
      $0.port = 0
    }
    let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
    let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
    let service = try WebServer.make(fixture.app, logger: logger) { port in
      continuation.yield(port)
      continuation.finish()
    }
    let group = ServiceGroup(configuration: .init(services: [.init(service: service)], logger: logger))
    let task = Task { try await group.run() }
    var settings = HTTPSettings()
    settings.caFile = files.cert
    // The whole suite runs beside this test on two cores: a slow answer is not what it checks.
    settings.requestTimeout = 180
    let client = try AsyncHTTPTransport(settings: settings)
    do {
      var iterator = ports.makeAsyncIterator()
      let port = try #require(await iterator.next())
      let login = try await client.send(method: "GET", url: "https://127.0.0.1:\(port)/login", headers: [], body: nil)
      #expect(login.status == 200)
      #expect(login.headers["strict-transport-security"] == "max-age=31536000")
      #expect(login.headers["set-cookie"]?.contains("Secure") == true)
      // Plain http to the TLS port gets no page.
      let plain = try? await client.send(method: "GET", url: "http://127.0.0.1:\(port)/login", headers: [], body: nil)
      #expect(plain?.status != 200)
    } catch {
      try? await client.shutdown()
      await group.triggerGracefulShutdown()
      throw error
    }
    try await client.shutdown()
    await group.triggerGracefulShutdown()
    _ = try? await task.value
  }

  @Test func anUnreadableCertificateIsNamed() async throws {
    let fixture = try await WebFixture {
      $0.tlsCertificate = "/nonexistent/vigil.crt"
      $0.tlsKey = "/nonexistent/vigil.key"
    }
    let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
    #expect {
      _ = try WebServer.make(fixture.app, logger: logger)
    } throws: { error in
      "\(error)".contains("/nonexistent/vigil.crt")
    }
  }
}
