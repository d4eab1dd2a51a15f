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
      // Connections terminated by earlier rounds may still be handed out, once each: a transaction on
      // one fails before the fault is injected, and the round is run again.
      let closed = ClosedFlag()
      let injected = ClosedFlag()
      for _ in 0..<20 where !injected.value {
        await #expect(throws: StoreError.self) {
          try await store.transaction { connection in
            let pid = try await connection.rows("SELECT pg_backend_pid()", logger: Self.logger)[0][0].decode(Int32.self)
            try await store.execute("SELECT pg_terminate_backend(\(pid))")
            injected.set()
            let deadline = ContinuousClock.now + .seconds(60)
            if waitForClose {
              while !connection.isClosed, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
            }
            while ContinuousClock.now < deadline {
              do {
                try await connection.execute("SELECT 1", logger: Self.logger)
              } catch {
                // The server's FATAL message may fail the statement a moment before the socket closes.
                let settle = ContinuousClock.now + .seconds(10)
                while !connection.isClosed, ContinuousClock.now < settle {
                  try await Task.sleep(for: .milliseconds(5))
                }
                if connection.isClosed { closed.set() }
                throw error
              }
            }
          }
        }
      }
      #expect(injected.value && closed.value, "the server closed the connection under the statements")
    }
    // The store goes on with new connections (each terminated one fails a call once, then is dropped).
    var newest: Int64?
    for _ in 0..<20 where newest == nil { newest = try? await store.newestSequence() }
    #expect(newest == 0)
  }
}

final class ClosedFlag: Sendable {
  private let flag = Mutex(false)
  func set() { flag.withLock { $0 = true } }
  var value: Bool { flag.withLock { $0 } }
}
