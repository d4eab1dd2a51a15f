import ArgumentParser
import Foundation
import VigilBase
import VigilCore
import VigilEventsAPIModel
import VigilRuntime

/// `vigil migrate`: a SQLite store into PostgreSQL, with progress, a count per account × stream at
/// the end, and resumption after an interruption.
struct MigrateCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "migrate",
    abstract: "Copy a SQLite store into PostgreSQL: events, cursors, checkpoints, alerts and statuses.",
    discussion: """
      Events keep their sequence numbers, so detection and sinks continue where they were. Run it again
      after an interruption: it continues after the last event copied. It ends by counting the events of
      every account and stream on both sides, and exits 1 when they differ. Stop Vigil on the SQLite
      store first; then point storage.url at PostgreSQL.
        vigil migrate --from sqlite:/var/lib/vigil/vigil.db \\
          --to 'postgres://vigil@db.internal/vigil?sslmode=verify-full' --password-file /etc/vigil/db-password
      """)

  @Option(help: "The SQLite store to copy: sqlite:PATH or a path.") var from: String
  @Option(help: "The PostgreSQL store to copy into: postgres://USER@HOST:PORT/DATABASE?sslmode=…") var to: String
  @Option(help: "A file holding the PostgreSQL password.") var passwordFile: String?
  @Option(help: "An environment variable holding the PostgreSQL password.") var passwordEnv: String?

  func run() async throws {
    guard let source = StorageURL(from), case .sqlite(let path) = source else {
      throw UserError("--from must name a SQLite store (sqlite:PATH); got \(URLText.withoutCredentials(from))")
    }
    guard FileManager.default.fileExists(atPath: path) else { throw UserError("no SQLite store at \(path)") }
    guard let destination = StorageURL(to), case .postgres = destination else {
      throw UserError("--to must be a postgres:// URL; got \(URLText.withoutCredentials(to))")
    }
    if passwordFile != nil, passwordEnv != nil { throw UserError("give --password-file or --password-env, not both") }
    let password = passwordFile.map(SecretLocation.file) ?? passwordEnv.map(SecretLocation.environment)
    let from = try await StoreOpener.open(source)
    defer { from.close() }
    let into = try await StoreOpener.open(destination, password: password)
    defer { into.close() }
    guard let target = into.store as? any (EventStore & ImportStore) else {
      throw UserError("the destination cannot take a migration")
    }
    let progress = TerminalProgress()
    let report: StoreMigration.Report
    do {
      report = try await StoreMigration.run(from: from.store, to: target, at: SystemClock().now) { done, total in
        let share = total > 0 ? Int(Double(done) / Double(total) * 100) : 100
        progress.update("copying events: sequence \(done) of \(total) (\(share)%)")
      }
    } catch {
      progress.finish()
      throw UserError("the migration stopped: \(error.description); run it again to continue")
    }
    progress.finish()
    say(
      "copied \(report.copied) events (\(report.skipped) already there) and \(report.alerts) alerts "
        + "(\(report.notifications) notifications, \(report.pendingNotifications) waiting to go out), "
        + "\(report.quarantined) quarantined events")
    let rows = report.counts.map { count in
      [
        count.key.account, count.key.stream.rawValue, String(count.source), String(count.destination),
        count.source == count.destination ? "ok" : "DIFFERENT",
      ]
    }
    for line in TextTable.render(header: ["ACCOUNT", "STREAM", "SQLITE", "POSTGRESQL", ""], rows: rows) { say(line) }
    guard report.matches else {
      throw UserError("the event counts differ; run the migration again, and report it if they still differ")
    }
  }
}
