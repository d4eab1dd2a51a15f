import Logging
import NIOCore
import NIOSSL
import PostgresNIO
import VigilBase
import VigilCore

/// The store for teams and many accounts: PostgreSQL 15 or newer, shared by any number of `vigil`
/// processes. It keeps the same contract as the SQLite store (``EventStore``), checked by the same
/// suite.
///
/// Several writers: every ingest commit takes one transaction-scoped advisory lock before it draws
/// sequence numbers and holds it to commit, so sequence order is commit order. A tailer that has read
/// up to sequence N therefore never later finds a smaller sequence committed; without the lock, two
/// collectors' transactions could commit out of order and a sink would skip the one that committed
/// last. The rest of a commit runs side by side (``commit(_:)``).
package final class PostgresEventStore: Sendable {
  package let settings: PostgresSettings
  let client: PostgresClient
  let logger: Logger
  private let runner: Task<Void, Never>

  /// Connects, and brings the schema up to date (waiting for another process doing the same).
  package init(_ settings: PostgresSettings, logger: Logger = Logger(label: "vigil.store")) async throws(StoreError) {
    self.settings = settings
    self.logger = logger
    try await Self.probe(settings, logger: logger)
    let client = PostgresClient(
      configuration: try Self.configuration(settings), backgroundLogger: logger)
    self.client = client
    // Queries wait until the client runs; without this, the first one can arrive a moment before
    // `run()` starts and PostgresNIO warns on every start.
    let (started, signal) = AsyncStream<Void>.makeStream()
    runner = Task {
      signal.finish()
      await client.run()
    }
    for await _ in started {}
    do {
      try await migrate()
    } catch {
      runner.cancel()
      throw error
    }
  }

  deinit { runner.cancel() }

  /// Closes every connection.
  package func close() { runner.cancel() }

  /// TLS as `sslmode` asks (nil: none).
  private static func tlsConfiguration(_ settings: PostgresSettings) -> TLSConfiguration? {
    switch settings.tls {
    case .disable: return nil
    case .require:
      var configuration = TLSConfiguration.makeClientConfiguration()
      configuration.certificateVerification = .none
      return configuration
    case .verifyFull:
      var configuration = TLSConfiguration.makeClientConfiguration()
      configuration.certificateVerification = .fullVerification
      if let path = settings.rootCertificate { configuration.trustRoots = .file(path) }
      return configuration
    }
  }

  /// One plain connection before the pool's: a server that is down, refuses the login or fails TLS
  /// says so at once, instead of after the pool's minute of retries.
  private static func probe(_ settings: PostgresSettings, logger: Logger) async throws(StoreError) {
    let location = settings.description
    let tls: PostgresConnection.Configuration.TLS
    do {
      tls = try tlsConfiguration(settings).map { .require(try NIOSSLContext(configuration: $0)) } ?? .disable
    } catch {
      throw .cannotOpen(path: location, reason: "cannot set up TLS (\(error)); check sslrootcert")
    }
    var configuration = PostgresConnection.Configuration(
      host: settings.host, port: settings.port, username: settings.user, password: settings.password,
      database: settings.database, tls: tls)
    configuration.options.connectTimeout = .seconds(10)
    if settings.tls == .verifyFull { configuration.options.tlsServerName = settings.host }
    do {
      let connection = try await PostgresConnection.connect(configuration: configuration, id: 0, logger: logger)
      try await connection.close()
    } catch {
      throw storeError(error, location: location)
    }
  }

  private static func configuration(_ settings: PostgresSettings) throws(StoreError) -> PostgresClient.Configuration {
    let tls: PostgresClient.Configuration.TLS = tlsConfiguration(settings).map { .require($0) } ?? .disable
    var configuration = PostgresClient.Configuration(
      host: settings.host, port: settings.port, username: settings.user, password: settings.password,
      database: settings.database, tls: tls)
    configuration.options.maximumConnections = settings.maximumConnections
    configuration.options.connectTimeout = .seconds(10)
    if settings.tls == .verifyFull { configuration.options.tlsServerName = settings.host }
    return configuration
  }

  // MARK: - Running statements

  /// Runs `body` in one transaction; a thrown error rolls it back. BEGIN, COMMIT and ROLLBACK are
  /// statements of its own (guarded: a connection that closes fails them at once; see
  /// ``PostgresConnection/guarded(_:)``), so a server lost mid-transaction never leaves a caller waiting.
  func transaction<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws(StoreError) -> T {
    let logger = self.logger
    do {
      return try await client.withConnection { connection in
        try await connection.execute("BEGIN", logger: logger)
        let value: T
        do {
          value = try await body(connection)
        } catch {
          if !connection.isClosed { try? await connection.execute("ROLLBACK", logger: logger) }
          throw error
        }
        try await connection.execute("COMMIT", logger: logger)
        return value
      }
    } catch {
      throw storeError(error)
    }
  }

  /// The rows of one statement outside a transaction.
  func rows(_ sql: String, _ binds: PostgresBindings = PostgresBindings()) async throws(StoreError)
    -> [PostgresRandomAccessRow]
  {
    do {
      let logger = self.logger
      return try await client.withConnection { connection in try await connection.rows(sql, binds, logger: logger) }
    } catch {
      throw storeError(error)
    }
  }

  /// Runs one statement outside a transaction.
  func execute(_ sql: String, _ binds: PostgresBindings = PostgresBindings()) async throws(StoreError) {
    _ = try await rows(sql, binds)
  }

  /// Maps PostgreSQL's errors to ones that say what to do; never the statement's bound values.
  func storeError(_ error: any Error) -> StoreError { Self.storeError(error, location: settings.description) }

  static func storeError(_ error: any Error, location: String) -> StoreError {
    if let error = error as? StoreError { return error }
    if error is ConnectionLost {
      return .cannotOpen(path: location, reason: "the server closed the connection; check that it runs")
    }
    guard let error = error as? PSQLError else {
      // The pool gives up after a minute of failed connections (its type is not public API).
      if String(describing: error).contains("connectionCreationCircuitBreakerTripped") {
        return .cannotOpen(
          path: location, reason: "no connection to the server for a minute; check that it runs and the url")
      }
      return .other(String(describing: error))
    }
    if let info = error.serverInfo {
      let state = info[.sqlState] ?? ""
      let message = info[.message] ?? "no message"
      switch state {
      case "53100": return .full(path: location)
      case "25006": return .readOnly(path: location)
      case "55P03", "40P01": return .locked(path: location)
      case "28P01", "28000": return .cannotOpen(path: location, reason: "the server refused the login: \(message)")
      case "3D000": return .cannotOpen(path: location, reason: message)
      default: return .other("PostgreSQL: \(message) (SQLSTATE \(state))")
      }
    }
    switch error.code {
    case .sslUnsupported:
      return .cannotOpen(
        path: location,
        reason: "the server does not offer TLS; turn on ssl in its postgresql.conf, or use sslmode=disable on a "
          + "trusted network only")
    case .connectionError, .serverClosedConnection, .failedToAddSSLHandler, .poolClosed:
      let cause = error.underlying.map { String(describing: $0) } ?? error.code.description
      return .cannotOpen(path: location, reason: "cannot reach the server (\(cause)); check that it runs and the url")
    default: return .other("PostgreSQL: \(error.code.description)")
    }
  }
}

/// Builds bound values with their `$n` placeholders.
struct Binder {
  var binds = PostgresBindings()

  mutating func callAsFunction(_ value: String?) -> String {
    binds.append(value)
    return "$\(binds.count)"
  }

  mutating func callAsFunction(_ value: Int64?) -> String {
    binds.append(value)
    return "$\(binds.count)"
  }

  mutating func callAsFunction(_ value: Bool) -> String {
    binds.append(value)
    return "$\(binds.count)"
  }

  mutating func callAsFunction(_ value: Double?) -> String {
    binds.append(value)
    return "$\(binds.count)"
  }
}
