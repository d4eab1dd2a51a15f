import Testing
import VigilBase
import VigilCollector
import VigilConfig
import VigilYAML

@Suite struct HTTPConfigTests {
  func load(_ text: String) throws(ConfigError) -> VigilConfiguration {
    try ConfigLoader(file: "/etc/vigil/vigil.yaml", environment: ["HOME": "/home/ops"]).load(text)
  }

  let account = "accounts:\n  - name: acme\n    token_file: acme.jwt\n"

  @Test func theHTTPSectionSetsEveryOutboundCall() throws {
    let configuration = try load(
      """
      http:
        proxy: http://user:pw@proxy.internal:3128
        ca_file: certs/corporate.pem
        verify_tls: false
        connect_timeout: 3s
        request_timeout: 2m
      \(account)
      """)
    #expect(configuration.http.proxy == "http://user:pw@proxy.internal:3128")
    #expect(configuration.http.caFile == "/etc/vigil/certs/corporate.pem")
    #expect(configuration.http.verifyTLS == false)
    #expect(configuration.http.connectTimeout == 3)
    #expect(configuration.http.requestTimeout == 120)
    #expect(configuration.http.redirects == .none)
  }

  @Test func theProxyComesFromTheEnvironmentWhenTheFileHasNone() throws {
    let configuration = try load(account)
    #expect(configuration.http.withProxy(from: ["HTTPS_PROXY": "http://p:8080"]).proxy == "http://p:8080")
    #expect(configuration.http.withProxy(from: [:]).proxy == nil)
  }

  @Test func collectorDefaultsAreSpelledOnce() throws {
    let configuration = try load(account)
    #expect(configuration.collector.pollInterval == CollectorOptions().pollInterval)
    #expect(configuration.collector.unauthorizedRetry == CollectorOptions().unauthorizedRetry)
    #expect(configuration.retentionInterval == RetentionJob.defaultInterval)
  }

  @Test func cleartextAPIURLsAreRefusedUnlessLoopback() throws {
    do {
      _ = try load(account + "    url: http://events.example.com\n")
      Issue.record("a cleartext API URL was accepted")
    } catch {
      #expect(error.problems.first?.message.contains("in clear") == true)
      #expect(error.problems.first?.line == 4)
    }
    let local = try load(account + "    url: http://127.0.0.1:8787\n")
    #expect(local.accounts.first?.url == "http://127.0.0.1:8787")
  }

  @Test func badHTTPValuesAreLineNumberedProblems() throws {
    do {
      _ = try load("http:\n  proxy: proxy.internal:3128\n  verify_tls: maybe\n  retries: 3\n" + account)
      Issue.record("bad http values were accepted")
    } catch {
      let messages = error.problems.map(\.message)
      #expect(messages.contains { $0.contains("http.proxy must look like http://host:port") })
      #expect(messages.contains { $0.contains("http.verify_tls must be true or false") })
      #expect(messages.contains { $0.contains("unknown key retries in http") })
      #expect(error.problems.compactMap(\.line).sorted() == [2, 3, 4])
    }
  }
}

@Suite struct ProxyConfigTests {
  @Test func anHTTPSProxyIsAProblemThatSaysWhatToWrite() throws {
    do {
      _ = try ConfigLoader(file: "/etc/vigil/vigil.yaml", environment: [:]).load(
        "http:\n  proxy: https://proxy.internal:3128\naccounts:\n  - name: a\n    token_file: t\n")
      Issue.record("an https proxy was accepted")
    } catch {
      #expect(error.problems.first?.message.contains("use the proxy's http:// address") == true)
    }
  }
}

@Suite struct BoundsTests {
  @Test(arguments: ["1e300s", "400d", "inf", "nan"])
  func hugeOrNonsenseDurationsAreLineNumberedProblems(value: String) throws {
    do {
      _ = try ConfigLoader(file: "/etc/vigil/vigil.yaml", environment: [:]).load(
        "collector:\n  poll_interval: \(value)\naccounts:\n  - name: a\n    token_file: t\n")
      Issue.record("\(value) was accepted")
    } catch {
      #expect(error.problems.first?.line == 2)
      #expect(error.problems.first?.message.contains("poll_interval") == true)
    }
  }
}
