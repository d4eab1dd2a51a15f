import Testing
import VigilBase
import VigilCollector
import VigilConfig
import VigilCore
import VigilEventsAPIModel
import VigilTestSupport
import VigilYAML

@Suite struct ConfigLoaderTests {
  let home = ["HOME": "/home/ops"]

  func load(
    _ text: String, environment: [String: String] = ["HOME": "/home/ops"], file: String = "/etc/vigil/vigil.yaml"
  )
    throws(ConfigError) -> VigilConfiguration
  {
    try ConfigLoader(file: file, environment: environment).load(text)
  }

  func problems(_ text: String, environment: [String: String] = ["HOME": "/home/ops"]) -> [ConfigProblem] {
    do {
      _ = try load(text, environment: environment)
      Issue.record("expected the configuration to be refused")
      return []
    } catch {
      return error.problems
    }
  }

  @Test func theIssuesExampleLoadsWithEveryKey() throws {
    let configuration = try load(
      """
      storage:
        url: sqlite:///var/lib/vigil/vigil.db      # default: a file in the data directory
      retention:
        days: 365                                    # per-stream overrides allowed
        itemusages: 90
      collector:
        poll_interval: 1m
        events_per_commit: 5000
        commit_interval: 1s
      accounts:
        - name: acme
          token_file: /etc/vigil/acme.jwt            # or token_env
          url: https://events.1password.com          # optional
          start: 2026-08-01T00:00:00Z                # optional
          streams: [signinattempts, itemusages, auditevents]
        - name: beta
          token_env: BETA_TOKEN
          start: 2026-09-01
          api_version: v1
      """)
    #expect(configuration.storage == .sqlite(path: "/var/lib/vigil/vigil.db"))
    #expect(configuration.retention.days(for: .signInAttempts) == 365)
    #expect(configuration.retention.days(for: .itemUsages) == 90)
    #expect(configuration.collector.pollInterval == 60)
    #expect(configuration.collector.eventsPerCommit == 5000)
    #expect(configuration.collector.secondsPerCommit == 1)
    #expect(configuration.accounts.count == 2)
    let acme = configuration.accounts[0]
    #expect(acme.name == "acme")
    #expect(acme.token == .file("/etc/vigil/acme.jwt"))
    #expect(acme.url == "https://events.1password.com")
    #expect(acme.start == Timestamp(rfc3339: "2026-08-01T00:00:00Z"))
    #expect(acme.streams == EventStream.allCases)
    #expect(acme.line == 11)
    let beta = configuration.accounts[1]
    #expect(beta.token == .environment("BETA_TOKEN"))
    #expect(beta.start == Timestamp(rfc3339: "2026-09-01T00:00:00Z"))
    #expect(beta.streams == nil)
    #expect(beta.apiVersion == .v1)
  }

  @Test func defaultsPutTheDatabaseInTheDataDirectoryAndRelativePathsFollowTheFile() throws {
    let configuration = try load(
      """
      accounts:
        - name: acme
          token_file: secrets/acme.jwt
      """)
    #expect(configuration.dataDirectory == "/home/ops/.local/share/vigil")
    #expect(configuration.storage == .sqlite(path: "/home/ops/.local/share/vigil/vigil.db"))
    #expect(configuration.accounts[0].token == .file("/etc/vigil/secrets/acme.jwt"))
    #expect(configuration.retention.days(for: .auditEvents) == 365)
    #expect(configuration.collector.pollInterval == 30)
  }

  @Test func dotPathsResolveToTheFilesDirectory() throws {
    let configuration = try load(
      """
      data_dir: .
      accounts:
        - name: acme
          token_file: ./keys/acme.jwt
      """)
    #expect(configuration.dataDirectory == "/etc/vigil")
    #expect(configuration.storage == .sqlite(path: "/etc/vigil/vigil.db"))
    #expect(configuration.accounts[0].token == .file("/etc/vigil/keys/acme.jwt"))
  }

  @Test func environmentOverridesTheFile() throws {
    let configuration = try load(
      """
      storage:
        url: sqlite:///a.db
      retention:
        days: 30
      accounts:
        - name: acme
          token_env: ACME
      """,
      environment: [
        "VIGIL_STORAGE_URL": "sqlite:///b.db", "VIGIL_RETENTION_DAYS": "7", "VIGIL_POLL_INTERVAL": "5s",
        "VIGIL_DATA_DIR": "/data",
      ])
    #expect(configuration.storage == .sqlite(path: "/b.db"))
    #expect(configuration.retention.days == 7)
    #expect(configuration.collector.pollInterval == 5)
    #expect(configuration.dataDirectory == "/data")
  }

  @Test func postgresStorageTakesItsPasswordFromAFileOrTheEnvironment() throws {
    let configuration = try load(
      """
      storage:
        url: postgres://vigil@db.internal:5433/vigil?sslmode=verify-full&sslrootcert=/etc/vigil/ca.pem
        password_file: /etc/vigil/pg-password
      accounts:
        - name: acme
          token_env: ACME
      """)
    #expect(
      configuration.storage
        == .postgres(url: "postgres://vigil@db.internal:5433/vigil?sslmode=verify-full&sslrootcert=/etc/vigil/ca.pem"))
    #expect(configuration.storagePassword == .file("/etc/vigil/pg-password"))
    let settings = try PostgresSettings(url: "postgres://vigil@db.internal:5433/vigil?sslmode=verify-full")
    #expect(settings.host == "db.internal" && settings.port == 5433 && settings.database == "vigil")
    #expect(settings.tls == .verifyFull)
    // verify-full is the default; a password in the URL is never shown.
    let inline = try PostgresSettings(url: "postgresql://ops:s%40cret@[::1]/events")
    #expect(inline.tls == .verifyFull && inline.password == "s@cret" && inline.host == "::1" && inline.port == 5432)
    #expect(!inline.description.contains("s@cret") && !inline.description.contains("cret"))
  }

  @Test func postgresStorageMistakesAreReported() {
    let found = problems(
      """
      storage:
        url: postgres://vigil@db/vigil?sslmode=prefer&x=1
        password_file: a
        password_env: B
      accounts:
        - name: acme
          token_env: ACME
      """)
    #expect(found.contains { $0.message.contains("has both password_file and password_env") })
    #expect(found.contains { $0.message.contains("sslmode prefer is not supported") })
    let sqlitePassword = problems(
      """
      storage:
        url: sqlite:///a.db
        password_env: B
      accounts:
        - name: acme
          token_env: ACME
      """)
    #expect(sqlitePassword.contains { $0.message.contains("apply to PostgreSQL only") })
    #expect(
      problems("storage:\n  url: postgres://db\naccounts:\n  - name: a\n    token_env: A\n").contains {
        $0.message.contains("has no database")
      })
  }

  @Test func unknownKeysAreReportedWithTheirLineAndTheNearestKnownKey() {
    let found = problems(
      """
      storage:
        url: sqlite:///a.db
      acounts:
        - name: acme
          token_file: a.jwt
      """)
    #expect(
      found.contains { $0.line == 3 && $0.message.contains("unknown key acounts") && $0.message.contains("accounts") })
  }

  @Test func everyProblemIsListedWithItsLine() {
    let found = problems(
      """
      retention:
        days: forever
      accounts:
        - name: acme
          token_file: a.jwt
          streams: [signinattempts, itemusage]
          start: yesterday
          url: events.1password.com
        - name: acme
          token_file: b.jwt
          token_env: B
        - name: "bad name!"
          token_file: c.jwt
        - token_file: d.jwt
      """)
    let byLine = Dictionary(grouping: found, by: { $0.line ?? 0 })
    #expect(byLine[2]?.first?.message.contains("retention.days") == true)
    #expect(byLine[6]?.first?.message.contains("did you mean itemusages?") == true)
    #expect(byLine[7]?.first?.message.contains("start yesterday is not a date") == true)
    #expect(byLine[8]?.first?.message.contains("must start with https://") == true)
    #expect(byLine[9]?.first?.message.contains("both token_file and token_env") == true)
    #expect(byLine[12]?.first?.message.contains("may only use") == true)
    #expect(byLine[14]?.first?.message.contains("needs a name") == true)
    #expect(found.count == 7)
    #expect(found[0].description.hasPrefix("/etc/vigil/vigil.yaml:2: "))
  }

  @Test func duplicateAccountNamesAndMissingTokens() {
    let found = problems(
      """
      accounts:
        - name: acme
          token_file: a.jwt
        - name: acme
          token_file: b.jwt
        - name: other
      """)
    #expect(found.contains { $0.line == 4 && $0.message.contains("used twice (first at line 2)") })
    #expect(found.contains { $0.line == 6 && $0.message.contains("needs token_file") })
  }

  @Test func brokenYAMLNamesTheLine() {
    let found = problems("accounts:\n  - name: acme\n    token_file: [unclosed\n")
    #expect(found.count == 1)
    #expect(found[0].line != nil)
    #expect(found[0].message.hasPrefix("not valid YAML"))
  }

  @Test func emptyAndAccountlessFilesSayWhatIsMissing() {
    #expect(problems("").first?.message.contains("empty") == true)
    #expect(problems("retention:\n  days: 3\n").first?.message.contains("no accounts") == true)
    #expect(problems("accounts: acme").first?.message.contains("must be a list") == true)
  }

  @Test func badEnvironmentValuesAreProblemsToo() {
    let found = problems(
      "accounts:\n  - name: a\n    token_env: A\n",
      environment: ["VIGIL_RETENTION_DAYS": "lots", "VIGIL_STORAGE_URL": "mysql://x"])
    #expect(found.count == 2)
    #expect(found.allSatisfy { $0.line == nil })
  }

  @Test func nearestKnownWordIsOnlySuggestedForTypos() {
    #expect(nearest("acounts", in: ["accounts", "storage"]) == "accounts")
    #expect(nearest("zzzzzz", in: ["accounts", "storage"]) == nil)
  }
}
