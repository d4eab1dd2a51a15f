import Foundation
import Logging
import NIOPosix
import PostgresNIO
import VigilCore

/// A fresh, empty database for one test on the throwaway PostgreSQL that `scripts/test` starts
/// (`scripts/postgres`), whose URL it exports as `VIGIL_TEST_POSTGRES`. Each test gets its own
/// database, so tests run in parallel; the whole cluster is deleted when the suite ends.
package enum PostgresTestDatabase {
  package struct Unavailable: Error, CustomStringConvertible {
    package let description: String
  }

  /// Creates a database and returns how to reach it. Throws (the test fails: never a silent skip)
  /// when no test server was started.
  package static func make(maximumConnections: Int = 4) async throws -> PostgresSettings {
    guard let url = ProcessInfo.processInfo.environment["VIGIL_TEST_POSTGRES"] else {
      throw Unavailable(
        description:
          "the PostgreSQL tests need a server: run scripts/test, or start one with `scripts/postgres start DIR` "
          + "and export VIGIL_TEST_POSTGRES with the URL it prints")
    }
    var server = try PostgresSettings(url: url)
    let name = "vigil_test_" + (0..<12).map { _ in String("0123456789abcdef".randomElement() ?? "0") }.joined()
    let configuration = PostgresConnection.Configuration(
      host: server.host, port: server.port, username: server.user, password: server.password,
      database: server.database, tls: .disable)
    let connection = try await PostgresConnection.connect(
      on: MultiThreadedEventLoopGroup.singleton.next(), configuration: configuration, id: 1,
      logger: Logger(label: "vigil.test.postgres"))
    do {
      try await connection.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"), logger: Logger(label: "test"))
    } catch {
      try? await connection.close()
      throw error
    }
    try await connection.close()
    server.database = name
    server.maximumConnections = maximumConnections
    return server
  }
}
