import Foundation
import Logging
import VigilBase
import VigilCore
import VigilPostgres
import VigilQuery
import VigilSQLite

/// Every role a store plays, as the runtime hands it out. Callers pass on only the roles they use.
package typealias VigilStore = EventStore & SearchStore

/// A store opened by the runtime, with the way to close it.
package struct OpenedStore: Sendable {
  package let store: any VigilStore
  private let closer: @Sendable () -> Void

  package init(store: any VigilStore, close: @escaping @Sendable () -> Void) {
    self.store = store
    self.closer = close
  }

  package func close() { closer() }
}

/// Opens the store a configuration names: the one place that names a concrete store.
package enum StoreOpener {
  /// Opens the store, creating it (and its directory, or its tables) if needed. `password` is where
  /// a PostgreSQL password lives (`storage.password_file` or `storage.password_env`).
  package static func open(
    _ url: StorageURL, password: SecretLocation? = nil,
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) async throws(UserError) -> OpenedStore {
    switch url {
    case .sqlite(let path):
      let directory = (path as NSString).deletingLastPathComponent
      // Events hold emails and addresses: the directory and the database are this user's alone.
      if !directory.isEmpty, !FileManager.default.fileExists(atPath: directory) {
        do {
          try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
          throw UserError("cannot create the data directory \(directory): \(TokenSource.reason(error))")
        }
      }
      // SQLite gives its -wal and -shm files the database file's mode.
      createPrivately(path)
      let store: SQLiteEventStore
      do {
        store = try SQLiteEventStore(path: path) { from, to in
          Logger(label: "vigil.store").notice(
            "upgrading the store's schema; new rollups are counted from every stored event, about a minute per million events",
            metadata: ["path": .string(path), "from": .stringConvertible(from), "to": .stringConvertible(to)])
        }
      } catch {
        throw UserError(error.description)
      }
      return OpenedStore(store: store) { try? store.close() }
    case .postgres(let text):
      var settings: PostgresSettings
      do {
        settings = try PostgresSettings(url: text)
      } catch {
        throw UserError("storage.url: \(error.description)")
      }
      if let password {
        settings.password = try SecretSource.read(password, for: "storage password", environment: environment)
      }
      do {
        let store = try await PostgresEventStore(settings)
        return OpenedStore(store: store) { store.close() }
      } catch {
        throw UserError(error.description)
      }
    }
  }

  /// Opens a store that already exists; nil when there is none yet (reading commands never create a
  /// SQLite file; a PostgreSQL database exists or the connection fails).
  package static func openExisting(
    _ url: StorageURL, password: SecretLocation? = nil,
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) async throws(UserError) -> OpenedStore? {
    if case .sqlite(let path) = url, !FileManager.default.fileExists(atPath: path) { return nil }
    return try await open(url, password: password, environment: environment)
  }

  /// Whether a store could be created at `url`; nil when yes, else what stands in the way.
  package static func problem(creating url: StorageURL) -> String? {
    switch url {
    case .sqlite(let path):
      let directory = (path as NSString).deletingLastPathComponent
      var existing = directory.isEmpty ? "." : directory
      while !FileManager.default.fileExists(atPath: existing) {
        existing = (existing as NSString).deletingLastPathComponent
      }
      if !FileManager.default.isWritableFile(atPath: existing.isEmpty ? "." : existing) {
        return "storage: \(existing) is not writable; the database cannot be created at \(path)"
      }
      return nil
    case .postgres(let text):
      do {
        _ = try PostgresSettings(url: text)
        return nil
      } catch {
        return "storage.url: \(error.description)"
      }
    }
  }
}

/// Creates an empty file at mode 0600 unless something is already there (never through a symlink).
private func createPrivately(_ path: String) {
  let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
  if descriptor >= 0 { close(descriptor) }
}
