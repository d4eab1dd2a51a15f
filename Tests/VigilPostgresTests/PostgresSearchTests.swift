import Testing
import VigilPostgres
import VigilQuery
import VigilTestSupport

@Suite struct PostgresSearchTests {
  /// The query language's PostgreSQL dialect (events table and rollups) returns what the in-memory
  /// evaluator does, for the same randomized queries the SQLite store is checked with.
  @Test func postgresAndMemoryAgreeOnRandomQueries() async throws {
    let store = try await PostgresEventStore(PostgresTestDatabase.make())
    try await SearchSample.fill(store)
    // Fewer queries than SQLite's 600: each costs a round trip to the server and the server's CPU.
    try await SearchAgreement.check(store, dialect: .postgres, queries: 300)
  }
}
