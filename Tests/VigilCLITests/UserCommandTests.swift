import Foundation
import Testing
import VigilBase
import VigilTestSupport

/// `vigil user add` and `vigil user token` print entries that `vigil.yaml` takes as they are: pasted
/// into a `web:` section, `vigil config check` accepts them. The password never reaches the output.
@Suite struct UserCommandTests {
  @Test func printedEntriesAreAcceptedByTheConfiguration() async throws {
    let directory = try TemporaryDirectory()
    let password = "correct horse battery staple"
    try AtomicFile.write(password + "\n", to: directory.path + "/password", mode: 0o600)
    let added = try await VigilProcess.run(
      ["user", "add", "alice", "--password-file", directory.path + "/password", "--cost", "10"])
    #expect(added.status == 0, "\(added.error)")
    #expect(!added.output.contains(password))
    let user = added.output.split(separator: "\n").filter { $0.hasPrefix("    ") }
    #expect(user.count == 2, "\(added.output)")
    let token = try await VigilProcess.run(["user", "token", "prometheus"])
    #expect(token.status == 0, "\(token.error)")
    let entry = token.output.split(separator: "\n").filter { $0.hasPrefix("    ") }
    #expect(entry.count == 2, "\(token.output)")
    let secret = try #require(token.output.split(separator: "\n").first { $0.hasPrefix("  vgl_") })
    #expect(!entry.joined().contains(secret.trimmingCharacters(in: .whitespaces)))
    let yaml =
      "data_dir: .\naccounts:\n  - {name: acme, token_env: VIGIL_TEST_UNSET_TOKEN}\nweb:\n  users:\n"
      + user.joined(separator: "\n") + "\n  api_tokens:\n" + entry.joined(separator: "\n") + "\n"
    try AtomicFile.write(yaml, to: directory.path + "/vigil.yaml", mode: 0o600)
    let check = try await VigilProcess.run(["config", "check", "--config", directory.path + "/vigil.yaml"])
    let text = check.output + check.error
    #expect(text.contains("web: http://127.0.0.1:8080, 1 user(s), 1 API token(s), 7 dashboards"), "\(text)")
    #expect(!text.contains("password_hash"), "\(text)")

    let short = try await VigilProcess.run(["user", "add", "bob", "--password-file", directory.path + "/vigil.yaml"])
    #expect(short.status != 0)
  }
}
