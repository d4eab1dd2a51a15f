/// Why the store could not do what was asked, and what the user can do about it. A failed commit
/// changes nothing: the events and the cursor stay where they were, so nothing is lost.
package enum StoreError: Error, Hashable, Sendable, CustomStringConvertible {
  /// Another process holds the database (a second `vigil collect`, a backup tool).
  case locked(path: String)
  /// The disk (or the database's size limit) is full.
  case full(path: String)
  /// The file cannot be opened or written.
  case cannotOpen(path: String, reason: String)
  case readOnly(path: String)
  case corrupt(path: String, reason: String)
  /// The database was written by a newer Vigil.
  case newerSchema(path: String, found: Int, supported: Int)
  /// A commit carried a lease that is no longer the unit's live lease: another worker has the unit.
  case leaseLost(unit: String)
  case other(String)

  package var description: String {
    switch self {
    case .locked(let path):
      "the database \(path) is locked by another process; stop the other `vigil` using it (only one collector "
        + "may write a store) and try again"
    case .full(let path):
      "the disk holding \(path) is full; free space or shorten retention (`vigil retention apply`), then run again — "
        + "nothing was lost, the last page will be fetched again"
    case .cannotOpen(let path, let reason) where path.hasPrefix("postgres://"):
      // The reason says what to check (the server, the login, TLS).
      "cannot open the database \(path): \(reason)"
    case .cannotOpen(let path, let reason):
      "cannot open the database \(path): \(reason); check that the directory exists and is writable"
    case .readOnly(let path):
      "the database \(path) is read-only; check its permissions and those of its directory"
    case .corrupt(let path, let reason):
      "the database \(path) is damaged (\(reason)); restore it from a backup or move it aside to start a new one"
    case .newerSchema(let path, let found, let supported):
      "the database \(path) has schema version \(found), newer than this Vigil supports (\(supported)); upgrade Vigil"
    case .leaseLost(let unit):
      "the lease on \(unit) ran out before this commit, and another worker may have the unit now; nothing was "
        + "stored, and this worker will ask for the unit again"
    case .other(let message): "storage error: \(message)"
    }
  }
}
