import Foundation
import Testing
import VigilCore
import VigilDetection
import VigilYAML

@Suite struct RuleReaderTests {
  static let bruteForce = """
    id: signin.user_brute_force
    title: Several failed sign-ins for one user
    description: Failed sign-ins against one user in a short time.
    severity: medium
    techniques: [T1110.001]
    streams: [signinattempts]
    where: outcome:failure
    kind: threshold
    count: 3
    window: 10m
    group_by: [user.id]
    tests:
      - name: three failures in ten minutes
        items:
          - item: {uuid: F, timestamp: "2026-11-01T10:00:00Z", category: credentials_failed, type: password_secret_bad,
                   target_user: {uuid: U1, email: a@example.com}, client: {ip_address: 192.0.2.1}}
            repeat: 3
            every: 2m
        expect:
          - group: [U1]
            count: 3
      - name: three failures spread over an hour
        items:
          - item: {uuid: F, timestamp: "2026-11-01T10:00:00Z", category: credentials_failed, type: password_secret_bad,
                   target_user: {uuid: U1}}
            repeat: 3
            every: 30m
        expect: []
    """

  @Test func aRuleWithItsTestsReadsAndPasses() throws {
    let (rules, problems) = RuleReader.read(Self.bruteForce, file: "brute.yaml")
    #expect(problems.isEmpty, "\(problems)")
    let rule = try #require(rules.first)
    #expect(rule.id == "signin.user_brute_force")
    #expect(rule.severity == .medium)
    #expect(rule.groupBy.map(\.name) == ["user.id"])
    #expect(rule.tests.count == 2)
    #expect(RuleTestRunner.run(rule).isEmpty, "\(RuleTestRunner.run(rule))")
  }

  @Test func aWrongExpectationFailsWithWhatHappened() throws {
    let text = Self.bruteForce.replacingOccurrences(of: "count: 3\n  - name", with: "count: 4\n  - name")
    let rule = try #require(RuleReader.read(text, file: "brute.yaml").rules.first)
    let failures = RuleTestRunner.run(rule)
    #expect(failures.count == 1)
    #expect(failures.first?.description.contains("expected [U1] × 4, got [U1] × 3") == true, "\(failures)")
    #expect(failures.first?.description.hasPrefix("brute.yaml:13:") == true, "\(failures)")
  }

  @Test func problemsNameTheirLines() {
    let text = """
      id: bad rule
      title: t
      description: d
      severity: urgent
      streams: [signins]
      where: "outcome:("
      kind: threshold
      window: 10x
      group_by: [user.mail]
      techniques: [T11]
      lookback: 1d
      """
    let (rules, problems) = RuleReader.read(text, file: "bad.yaml")
    #expect(rules.isEmpty)
    let lines = problems.map { "\($0.line ?? 0): \($0.message)" }
    func has(_ line: Int, _ fragment: String) -> Bool {
      lines.contains { $0.hasPrefix("\(line):") && $0.contains(fragment) }
    }
    #expect(has(1, "may hold only letters"), "\(lines)")
    #expect(has(4, "severity must be one of"), "\(lines)")
    #expect(has(5, "unknown stream signins"), "\(lines)")
    #expect(has(6, "where is not a valid query"), "\(lines)")
    #expect(has(8, "window must be a duration"), "\(lines)")
    #expect(has(9, "unknown field user.mail"), "\(lines)")
    #expect(has(10, "not an ATT&CK technique"), "\(lines)")
    #expect(has(11, "lookback does not apply to kind threshold"), "\(lines)")
    #expect(lines.contains { $0.contains("kind threshold needs `count:`") }, "\(lines)")
  }

  @Test func notYAMLIsOneProblemWithItsLine() {
    let (rules, problems) = RuleReader.read("id: a\ntitle: [unclosed\n", file: "broken.yaml")
    #expect(rules.isEmpty)
    #expect(problems.count == 1)
    #expect(problems.first?.message.hasPrefix("not valid YAML") == true)
  }
}
