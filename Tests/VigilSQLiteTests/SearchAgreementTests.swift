import Testing
import VigilQuery
import VigilSQLite
import VigilTestSupport

@Suite struct SearchAgreementTests {
  /// The SQL back end (events table and rollups) and the in-memory evaluator return the same rows for
  /// a large randomized set of queries over the same events.
  @Test func sqlAndMemoryAgreeOnRandomQueries() async throws {
    let directory = try TemporaryDirectory()
    let store = try SQLiteEventStore(path: directory.path + "/vigil.db")
    try await SearchSample.fill(store)
    try await SearchAgreement.check(store, dialect: .sqlite)
  }
}

extension SearchSample {
  /// A SQLite store holding the sample.
  static func store(in directory: borrowing TemporaryDirectory) async throws -> SQLiteEventStore {
    let store = try SQLiteEventStore(path: directory.path + "/vigil.db")
    try await fill(store)
    return store
  }
}
