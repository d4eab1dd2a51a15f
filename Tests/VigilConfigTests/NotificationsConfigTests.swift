import Testing
import VigilBase
import VigilConfig
import VigilCore
import VigilDetection
import VigilTestSupport
import VigilYAML

@Suite struct NotificationsConfigTests {
  let base = "accounts:\n  - name: acme\n    token_file: acme.jwt\n"

  func load(_ text: String) throws(ConfigError) -> NotificationSettings {
    try ConfigLoader(file: "/etc/vigil/vigil.yaml", environment: [:]).load(base + text).notifications
  }

  @Test func everyNotifierKindWithRoutes() throws {
    let settings = try load(
      """
      notifications:
        max_attempts: 20
        retry_cap: 15m
        notifiers:
          - name: soc
            type: webhook
            url: https://hooks.example.com/vigil
            secret_file: secrets/webhook
          - name: chat
            type: slack
            url_env: SLACK_WEBHOOK_URL
          - name: pager
            type: pagerduty
            routing_key_file: /run/secrets/pd
          - name: mail
            type: email
            host: smtp.example.com
            username: vigil
            password_env: SMTP_PASSWORD
            from: vigil@example.com
            to: [soc@example.com, oncall@example.com]
        routes:
          - notify: [soc]
          - notify: [chat, pager, mail]
            severity: high
            except: [pipeline.absence]
      """)
    #expect(settings.maximumAttempts == 20 && settings.retryCap == 900)
    #expect(settings.notifiers.map(\.name) == ["soc", "chat", "pager", "mail"])
    #expect(
      settings.notifiers[0].kind
        == .webhook(url: "https://hooks.example.com/vigil", secret: .file("/etc/vigil/secrets/webhook")))
    #expect(settings.notifiers[1].kind == .slack(url: .environment("SLACK_WEBHOOK_URL")))
    #expect(
      settings.notifiers[2].kind == .pagerDuty(routingKey: .file("/run/secrets/pd"), url: NotifierSettings.pagerDutyURL)
    )
    guard case .email(let email) = settings.notifiers[3].kind else {
      Issue.record("not an email notifier")
      return
    }
    #expect(email.port == 587 && email.security == .starttls && email.password == .environment("SMTP_PASSWORD"))
    #expect(email.to == ["soc@example.com", "oncall@example.com"])

    func alert(_ rule: String, _ severity: Severity) -> AlertRecord {
      AlertRecord(
        id: "x", rule: rule, title: "t", severity: severity, group: [], groupFields: [], period: 0, first: 0, last: 0,
        count: 1, evidence: [], at: SampleEvents.now)
    }
    #expect(settings.notifiers(for: alert("signin.x", .low)) == ["soc"])
    #expect(settings.notifiers(for: alert("signin.x", .critical)) == ["soc", "chat", "pager", "mail"])
    #expect(settings.notifiers(for: alert("pipeline.absence", .high)) == ["soc"])
  }

  @Test func mistakesAreReportedWithTheirLines() {
    do {
      _ = try load(
        """
        notifications:
          notifiers:
            - name: soc
              type: webhook
              url: http://hooks.example.com/vigil
            - name: chat
              type: slack
              url: https://hooks.slack.com/services/T/B/X
            - name: mail
              type: email
              host: smtp.example.com
              security: none
              from: vigil@example.com
              to: [not-an-address]
            - name: idle
              type: pagerduty
              routing_key_env: PD
          routes:
            - notify: [soc, pagr]
              severity: urgent
        """)
      Issue.record("the configuration loaded")
    } catch {
      let messages = error.problems.map { "\($0.line ?? 0): \($0.message)" }
      #expect(messages.contains { $0.hasPrefix("8:") && $0.contains("plain http://") }, "\(messages)")
      #expect(messages.contains { $0.hasPrefix("11:") && $0.contains("unknown key url") }, "\(messages)")
      #expect(messages.contains { $0.contains("security: none sends mail in clear text") }, "\(messages)")
      #expect(messages.contains { $0.contains("not-an-address is not an email address") }, "\(messages)")
      #expect(
        messages.contains { $0.contains("notifier pagr, which is not under notifications.notifiers") }, "\(messages)")
      #expect(messages.contains { $0.contains("severity must be one of") }, "\(messages)")
      #expect(messages.contains { $0.contains("notifier idle is in no route") }, "\(messages)")
    }
  }
}
