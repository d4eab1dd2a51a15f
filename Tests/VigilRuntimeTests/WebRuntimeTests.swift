import Synchronization
import Testing
import VigilBase
import VigilConfig
import VigilCore
import VigilEmulator
import VigilEmulatorCore
import VigilHTTP
import VigilRuntime
import VigilTestSupport
import VigilWeb

/// `vigil run` with a `web:` section: the app answers over loopback while the collector runs, and
/// `/metrics` (behind an API token) counts what the collector, the API client and the web app did.
@Suite struct WebRuntimeTests {
  @Test func theRunServesTheWebAppAndItsMetrics() async throws {
    try await withEmulatorHarness(users: 5, days: 2) { harness in
      let directory = try TemporaryDirectory()
      let tokenFile = directory.path + "/acme.jwt"
      try AtomicFile.write(try harness.engine.issueToken().token + "\n", to: tokenFile, mode: 0o600)
      let apiToken = "vgl_runtime_test_token"
      let yaml = """
        data_dir: .
        web:
          listen: 127.0.0.1:0
          api_tokens:
            - {name: prometheus, token_hash: \(SecureToken.tokenHash(apiToken))}
        accounts:
          - name: acme
            token_file: \(tokenFile)
            url: \(harness.emulator.baseURL)
        """
      let configuration = try ConfigLoader(file: directory.path + "/vigil.yaml", environment: [:]).load(yaml)
      let store = InMemoryEventStore()
      let port = Mutex<Int?>(nil)
      var options = RuntimeOptions()
      options.web = true
      options.clock = harness.clock
      options.webRunning = { bound in port.withLock { $0 = bound } }
      let run = Task {
        try await Runtime.run(
          configuration, store: store, api: harness.transport, feeds: FakeTransport(status: 404), options: options,
          logger: EmulatorHarness.quietLogger, observer: nil, extraServices: [])
      }
      defer { run.cancel() }
      let client = try AsyncHTTPTransport()
      var metrics = ""
      // Wait (by rounds, not by wall-clock) until the app listens and the collector has stored events.
      for _ in 0..<600 {
        if let bound = port.withLock({ $0 }), await store.newestSequence() > 0 {
          let exchange = try await client.send(
            method: "GET", url: "http://127.0.0.1:\(bound)/metrics",
            headers: [("Authorization", "Bearer \(apiToken)")], body: nil)
          #expect(exchange.status == 200)
          metrics = String(decoding: exchange.body, as: UTF8.self)
          if metrics.contains("vigil_events_ingested_total") { break }
        }
        try await Task.sleep(for: .milliseconds(100))
      }
      let bound = try #require(port.withLock { $0 })
      let refused = try await client.send(
        method: "GET", url: "http://127.0.0.1:\(bound)/metrics", headers: [], body: nil)
      #expect(refused.status == 401)
      let health = try await client.send(
        method: "GET", url: "http://127.0.0.1:\(bound)/healthz", headers: [], body: nil)
      #expect(health.status == 200)
      // Requests are timed once answered: the second scrape shows the first ones' latency.
      let again = try await client.send(
        method: "GET", url: "http://127.0.0.1:\(bound)/metrics", headers: [("Authorization", "Bearer \(apiToken)")],
        body: nil)
      let latency = String(decoding: again.body, as: UTF8.self)
      try await client.shutdown()
      run.cancel()
      _ = try? await run.value
      #expect(metrics.contains("vigil_events_ingested_total{account=\"acme\",stream=\"signinattempts\"}"))
      #expect(metrics.contains("vigil_events_api_requests_total{host=\"127.0.0.1:"))
      #expect(metrics.contains("vigil_stream_lag_seconds{"))
      #expect(latency.contains("http_server_request_duration_bucket{"))
      #expect(!metrics.contains(apiToken))
    }
  }
}
