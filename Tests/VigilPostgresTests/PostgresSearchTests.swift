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
    // Fewer queries than SQLite's 600: the server's CPU competes with the rest of the suite on two cores.
    try await SearchAgreement.check(store, dialect: .postgres, queries: 150)
  }
}
