import Testing
import VigilBase
import VigilCore
import VigilEventsAPIModel
import VigilPostgres
import VigilSQLite
import VigilTestSupport

/// `vigil migrate` as a user runs it: the copy, its report and its refusals.
@Suite struct MigrateCommandTests {
  @Test func aSQLiteStoreIsCopiedCountedAndNotCopiedTwice() async throws {
    let directory = try TemporaryDirectory()
    let path = directory.path + "/vigil.db"
    let source = try SQLiteEventStore(path: path)
    try await SearchSample.fill(source)
    let newest = try await source.newestSequence()
    try source.close()
    let database = try await PostgresTestDatabase.make()
    let arguments = ["migrate", "--from", "sqlite:\(path)", "--to", database.description]

    let first = try await VigilProcess.run(arguments)
    #expect(first.status == 0, "\(first.error)")
    #expect(first.output.contains("copied \(SearchSample.events.count) events (0 already there)"), "\(first.output)")
    let rows = first.output.split(separator: "\n").filter { $0.hasSuffix(" ok") }
    #expect(rows.count == 3, "one row per account × stream: \(first.output)")
    #expect(!first.output.contains("DIFFERENT"))
    let destination = try await PostgresEventStore(database)
    defer { destination.close() }
    #expect(try await destination.newestSequence() == newest)

    let again = try await VigilProcess.run(arguments)
    #expect(again.status == 0, "\(again.error)")
    #expect(again.output.contains("copied 0 events (0 already there)"), "\(again.output)")
    #expect(try await destination.eventCount(StreamKey(account: "acme", stream: .signInAttempts)) > 0)
  }

  @Test func wrongArgumentsSayWhatToGiveAndNeverEchoAPassword() async throws {
    let directory = try TemporaryDirectory()
    let path = directory.path + "/vigil.db"
    try SQLiteEventStore(path: path).close()
    var missing = try await PostgresTestDatabase.make()
    missing.database = "no_such_database"
    var plain = try await PostgresTestDatabase.make()
    plain.tls = .verifyFull
    let cases: [(arguments: [String], says: String)] = [
      (["--from", "postgres://u:hunter2@db/v", "--to", "postgres://db/v"], "--from must name a SQLite store"),
      (["--from", "sqlite:\(directory.path)/none.db", "--to", "postgres://db/v"], "no SQLite store at"),
      (["--from", "sqlite:\(path)", "--to", "sqlite:/tmp/other.db"], "--to must be a postgres:// URL"),
      (
        ["--from", "sqlite:\(path)", "--to", "postgres://db/v", "--password-file", "p", "--password-env", "P"],
        "not both"
      ),
      // Nothing listens on port 1: the first connection fails and says so (not the pool, after a minute
      // of retries), without the URL's password.
      (
        ["--from", "sqlite:\(path)", "--to", "postgres://vigil:hunter2@127.0.0.1:1/vigil?sslmode=disable"],
        "cannot reach the server"
      ),
      (["--from", "sqlite:\(path)", "--to", missing.description], "\"no_such_database\" does not exist"),
      // The test server has no TLS, and verify-full (the default) will not go on without it.
      (["--from", "sqlite:\(path)", "--to", plain.description], "the server does not offer TLS"),
    ]
    for (arguments, says) in cases {
      let outcome = try await VigilProcess.run(["migrate"] + arguments)
      #expect(outcome.status != 0, "\(arguments)")
      #expect(outcome.error.contains(says), "\(arguments): \(outcome.error)")
      #expect(!(outcome.output + outcome.error).contains("hunter2"), "\(arguments) echoed the password")
    }
  }
}
