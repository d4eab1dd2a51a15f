import Logging
import PostgresNIO
import Synchronization
import Testing
import VigilCore
import VigilTestSupport

@testable import VigilPostgres

/// A server that closes a connection in the middle of a transaction (a restart, an administrator's
/// `pg_terminate_backend`) must fail the transaction's next statement, never leave it waiting: a
/// statement PostgresNIO writes to an already closed connection is otherwise never answered.
@Suite struct LostConnectionTests {
  static let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

  @Test(.timeLimit(.minutes(5))) func aStatementAfterTheServerClosedTheConnectionFails() async throws {
    let store = try await PostgresEventStore(PostgresTestDatabase.make())
    defer { store.close() }
    // Once after the client has seen the close (the statement is refused before it is sent), then
    // with statements sent one after another while the close arrives (one of them races it).
    for waitForClose in [true] + Array(repeating: false, count: 10) {
      let closed = ClosedFlag()
      await #expect(throws: StoreError.self) {
        try await store.transaction { connection in
          let pid = try await connection.rows("SELECT pg_backend_pid()", logger: Self.logger)[0][0].decode(Int32.self)
          try await store.execute("SELECT pg_terminate_backend(\(pid))")
          let deadline = ContinuousClock.now + .seconds(60)
          if waitForClose {
            while !connection.isClosed, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
          }
          while ContinuousClock.now < deadline {
            do {
              try await connection.execute("SELECT 1", logger: Self.logger)
            } catch {
              if connection.isClosed { closed.set() }
              throw error
            }
          }
        }
      }
      #expect(closed.value, "the server closed the connection under the statements")
    }
    // The store goes on with new connections.
    #expect(try await store.newestSequence() == 0)
  }
}

final class ClosedFlag: Sendable {
  private let flag = Mutex(false)
  func set() { flag.withLock { $0 = true } }
  var value: Bool { flag.withLock { $0 } }
}
