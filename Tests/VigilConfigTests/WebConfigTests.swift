import Testing
import VigilConfig
import VigilDashboards

/// The `web:` section: defaults, every key read, every mistake named with its line.
@Suite struct WebConfigTests {
  static let account = """
    accounts:
      - {name: acme, token_env: ACME}
    """

  func load(_ web: String) throws -> VigilConfiguration {
    try ConfigLoader(file: "/etc/vigil/vigil.yaml", environment: [:]).load(web + "\n" + Self.account)
  }

  @Test func withoutTheSectionNothingIsServed() throws {
    #expect(try load("").web.enabled == false)
    let bare = try load("web:")
    #expect(bare.web.enabled)
    #expect(bare.web.host == "127.0.0.1")
    #expect(bare.web.port == 8080)
  }

  @Test func everyKeyIsRead() throws {
    let hash = "$2b$12$" + String(repeating: "a", count: 53)
    let token = "sha256:" + String(repeating: "0f", count: 32)
    let web = try load(
      """
      web:
        listen: "[::1]:9443"
        tls: {cert: tls/vigil.crt, key: tls/vigil.key}
        users: [{name: alice, password_hash: '\(hash)'}]
        api_tokens: [{name: prometheus, token_hash: '\(token)'}]
        dashboards: dashboards
        metrics: {listen: 10.0.0.5:9464}
        session: {idle: 10m, lifetime: 8h}
        panel_cache: 2m
      """
    ).web
    #expect(web.host == "::1")
    #expect(web.port == 9443)
    #expect(web.tlsCertificate == "/etc/vigil/tls/vigil.crt")
    #expect(web.usesTLS)
    #expect(web.users == [.init(name: "alice", passwordHash: hash)])
    #expect(web.apiTokens == [.init(name: "prometheus", tokenHash: token)])
    #expect(web.dashboards == "/etc/vigil/dashboards")
    #expect(web.metricsHost == "10.0.0.5")
    #expect(web.metricsPort == 9464)
    #expect(web.idleTimeout == 600)
    #expect(web.absoluteTimeout == 8 * 3600)
    #expect(web.panelCacheLifetime == 120)
    #expect(try load("web: {panel_cache: 'off'}").web.panelCacheLifetime == 0)
    #expect(WebSettings().panelCacheLifetime == 60)
  }

  @Test func mistakesAreNamedWithTheirLines() {
    let text = """
      web:
        listen: localhost
        tls: {cert: a.pem}
        users: [{name: alice, password_hash: hunter2}]
        api_tokens: [{name: ci, token_hash: abc}]
        colour: blue
      """
    do {
      _ = try load(text)
      Issue.record("a broken web section loaded")
    } catch {
      let message = "\(error)"
      #expect(message.contains("vigil.yaml:2") && message.contains("web.listen must be HOST:PORT"))
      #expect(message.contains("web.tls needs both cert and key"))
      #expect(message.contains("vigil user add alice"))
      #expect(message.contains("vigil user token ci"))
      #expect(message.contains("colour"))
    }
  }
}
