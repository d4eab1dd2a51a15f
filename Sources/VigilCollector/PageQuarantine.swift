import VigilBase
import VigilCore
import VigilEventsAPIModel

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Keeps the body of a page that keeps failing to parse, for diagnosis: one file per account ×
/// stream (the latest body replaces the previous one, so the folder stays small), mode 0600 because a
/// page holds emails and addresses.
package struct PageQuarantine: Sendable {
  package let directory: String

  package init(directory: String) {
    self.directory = directory
  }

  /// The file a body of `key` is kept in.
  package func path(for key: StreamKey) -> String {
    let account = String(key.account.unicodeScalars.map { Self.isSafe($0) ? Character($0) : "_" }.prefix(80))
    return directory + "/\(account)-\(key.stream.rawValue).body"
  }

  /// Writes `body`; returns the path, or nil (and the reason) when it could not be written.
  package func keep(_ body: [UInt8], for key: StreamKey) -> Result<String, AtomicFile.Failure> {
    if mkdir(directory, 0o700) != 0, errno != EEXIST {
      return .failure(
        AtomicFile.Failure(description: "cannot create \(directory): \(String(cString: strerror(errno)))"))
    }
    let path = path(for: key)
    do {
      try AtomicFile.write(body, to: path, mode: 0o600)
      return .success(path)
    } catch {
      return .failure(error)
    }
  }

  private static func isSafe(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar {
    case "a"..."z", "A"..."Z", "0"..."9", "-", "_", ".": true
    default: false
    }
  }
}
