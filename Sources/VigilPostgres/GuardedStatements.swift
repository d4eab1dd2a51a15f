import Logging
import NIOCore
import PostgresNIO
import Synchronization

/// The connection closed before the statement was answered (the server stopped or restarted).
struct ConnectionLost: Error {}

extension PostgresConnection {
  /// Runs one statement, failing at once if the connection closes before it is answered.
  ///
  /// PostgresNIO writes a statement to its channel without a completion promise: a statement sent
  /// just after the server closed the connection (between two statements of a transaction, or the
  /// transaction's ROLLBACK) is dropped with the closed channel's error unseen, and its caller waits
  /// forever. Seen as a `vigil run` whose collector stopped for good when PostgreSQL was restarted.
  /// So each statement runs in a task of its own, raced against the connection's closing; a statement
  /// left waiting that way ends with its task, which nothing waits for.
  func guarded<T: Sendable>(_ statement: @escaping @Sendable () async throws -> T) async throws -> T {
    if isClosed { throw ConnectionLost() }
    let task = Task { try await statement() }
    let closing = closeFuture
    return try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
        let first = FirstOutcome(continuation)
        Task { first.resume(with: await task.result) }
        closing.whenComplete { _ in first.resume(with: .failure(ConnectionLost())) }
      }
    } onCancel: {
      task.cancel()
    }
  }

  /// The rows of one statement on this connection (inside a transaction).
  func rows(_ sql: String, _ binds: PostgresBindings = PostgresBindings(), logger: Logger) async throws
    -> [PostgresRandomAccessRow]
  {
    try await guarded {
      try await self.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger).collect().map {
        $0.makeRandomAccess()
      }
    }
  }

  func execute(_ sql: String, _ binds: PostgresBindings = PostgresBindings(), logger: Logger) async throws {
    _ = try await rows(sql, binds, logger: logger)
  }

  /// `COPY table (columns) FROM STDIN` with `bytes` (text format, one row per line).
  func copy(_ bytes: [UInt8], into table: String, columns: [String], logger: Logger) async throws {
    try await guarded {
      try await self.copyFrom(table: table, columns: columns, logger: logger) { writer in
        try await writer.write(ByteBuffer(bytes: bytes))
      }
    }
  }
}

/// Resumes a continuation with whichever outcome comes first; later ones are dropped.
private final class FirstOutcome<T: Sendable>: Sendable {
  private let continuation: Mutex<CheckedContinuation<T, any Error>?>

  init(_ continuation: CheckedContinuation<T, any Error>) { self.continuation = Mutex(continuation) }

  func resume(with result: Result<T, any Error>) {
    continuation.withLock { waiting in
      waiting?.resume(with: result)
      waiting = nil
    }
  }
}
