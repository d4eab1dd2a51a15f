import Foundation
import Testing
import VigilBase
import VigilTestSupport

/// `vigil config check` reads every notifier's secrets: a missing one is a problem named by its
/// notifier, and a secret is never printed.
@Suite struct ConfigCheckNotifierTests {
  @Test func notifierSecretsAreCheckedWithoutBeingShown() async throws {
    let directory = try TemporaryDirectory()
    let token = BadInputTests.unsignedToken
    try AtomicFile.write(token + "\n", to: directory.path + "/acme.jwt", mode: 0o600)
    try AtomicFile.write("pd-routing-key-0123456789abcdef\n", to: directory.path + "/pd.key", mode: 0o600)
    let yaml = """
      data_dir: .
      accounts:
        - name: acme
          token_file: acme.jwt
          url: http://127.0.0.1:9
      notifications:
        notifiers:
          - {name: oncall, type: pagerduty, routing_key_file: pd.key}
          - {name: chat, type: slack, url_env: VIGIL_TEST_UNSET_SLACK_URL}
        routes:
          - {notify: [oncall, chat], severity: high}
      """
    try AtomicFile.write(yaml, to: directory.path + "/vigil.yaml", mode: 0o600)
    let outcome = try await VigilProcess.run(["config", "check", "--config", directory.path + "/vigil.yaml"])
    let text = outcome.output + outcome.error
    #expect(outcome.status == 1, "\(text)")
    #expect(text.contains("notifier oncall: PagerDuty Events v2 at events.pagerduty.com"), "\(text)")
    #expect(
      text.contains("problem: notifier chat: environment variable VIGIL_TEST_UNSET_SLACK_URL is not set"), "\(text)")
    #expect(text.contains("route 1: alerts of severity high or more → oncall, chat"), "\(text)")
    #expect(!text.contains("pd-routing-key-0123456789abcdef"))
  }
}
