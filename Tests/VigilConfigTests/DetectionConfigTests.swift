import Testing
import VigilConfig
import VigilCore
import VigilDetection
import VigilTestSupport
import VigilYAML

@Suite struct DetectionConfigTests {
  let base = "accounts:\n  - name: acme\n    token_file: acme.jwt\n"

  func load(_ text: String) throws(ConfigError) -> DetectionSettings {
    try ConfigLoader(file: "/etc/vigil/vigil.yaml", environment: [:]).load(base + text).detection
  }

  @Test func everyKeyWithPathsRelativeToTheFile() throws {
    let settings = try load(
      """
      detection:
        rules: [rules/, /opt/rules/extra.yaml]
        disable: [signin.new_address]
        allowed_lateness: 72h
        overrides:
          signin.brute_force_user: {count: 8, window: 15m, severity: high}
          item.share: {enabled: false}
        watchlists:
          privileged_vaults: [v1, v2]
          known_networks: {file: lists/networks.txt}
      """)
    #expect(settings.ruleFiles == ["/etc/vigil/rules/", "/opt/rules/extra.yaml"])
    #expect(settings.disabled == ["signin.new_address"])
    #expect(settings.allowedLateness == 72 * 3_600 * 1_000_000_000)
    #expect(settings.overrides["signin.brute_force_user"]?.count == 8)
    #expect(settings.overrides["signin.brute_force_user"]?.severity == .high)
    #expect(settings.watchlists["privileged_vaults"] == ["v1", "v2"])
    #expect(settings.watchlistFiles["known_networks"] == "/etc/vigil/lists/networks.txt")

    let library = RuleLibrary.builtIn.applying(settings, file: "vigil.yaml")
    #expect(library.problems.isEmpty, "\(library.problems)")
    let rule = try #require(library.rule("signin.brute_force_user"))
    #expect(rule.severity == .high)
    guard case .threshold(let count, let window) = rule.kind else {
      Issue.record("not a threshold rule")
      return
    }
    #expect(count == 8 && window == 15 * 60 * 1_000_000_000)
    #expect(library.rule("signin.new_address")?.enabled == false)
    #expect(library.rule("item.share")?.enabled == false)
  }

  @Test func mistakesAreProblemsWithLines() throws {
    do {
      _ = try load(
        """
        detection:
          allowed_lateness: 1h
          overrides:
            signin.brute_force_user: {count: lots}
        """)
      Issue.record("a lateness under 48h was accepted")
    } catch {
      let messages = error.problems.map { "\($0.line ?? 0): \($0.message)" }
      #expect(messages.contains { $0.hasPrefix("5:") && $0.contains("at least 48h") }, "\(messages)")
      #expect(messages.contains { $0.hasPrefix("7:") && $0.contains("count must be a whole number") }, "\(messages)")
    }
    var settings = DetectionSettings()
    settings.disabled = ["signin.brute_forse_user"]
    var override = RuleOverride()
    override.count = 3
    override.line = 9
    settings.overrides["item.export"] = override
    let problems = RuleLibrary.builtIn.applying(settings, file: "vigil.yaml").problems.map(\.description)
    #expect(
      problems.contains { $0.contains("no rule signin.brute_forse_user (did you mean signin.brute_force_user?)") })
    #expect(
      problems.contains {
        $0 == "vigil.yaml:9: detection.overrides.item.export: count and window do not apply to a match rule"
      })
  }
}
