import Foundation
import SQLiteStore
import VigilCore

/// Opens the store a configuration names.
enum StoreOpener {
  static func open(_ url: StorageURL) throws -> SQLiteEventStore {
    switch url {
    case .sqlite(let path):
      let directory = (path as NSString).deletingLastPathComponent
      if !directory.isEmpty {
        do {
          try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
          throw CLIError("cannot create the data directory \(directory): \(TokenSource.reason(error))")
        }
      }
      do {
        return try SQLiteEventStore(path: path)
      } catch {
        throw CLIError(error.description)
      }
    case .postgres:
      throw CLIError(StoreError.unsupportedURL(url.description).description)
    }
  }
}
