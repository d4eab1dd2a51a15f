#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// write(2), named apart from ``AtomicFile/write(_:to:mode:)``.
private func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
  #if canImport(Glibc)
    Glibc.write(descriptor, buffer, count)
  #else
    Darwin.write(descriptor, buffer, count)
  #endif
}

/// Writes a whole file so that a reader sees the old contents or the new, never half: a fresh temporary
/// file in the same directory (created exclusively, never through a symlink, with its final mode from
/// the start), flushed, then renamed over the target. Secrets (tokens) use mode 0600; nothing is ever
/// readable by others before it is complete.
package enum AtomicFile {
  package struct Failure: Error, Sendable, CustomStringConvertible {
    package var description: String
    package init(description: String) { self.description = description }
  }

  package static func write(_ bytes: some Collection<UInt8>, to path: String, mode: UInt32 = 0o644) throws(Failure) {
    let temporary = path + ".\(UInt32.random(in: 0...UInt32.max)).part"
    let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode_t(mode))
    guard descriptor >= 0 else { throw failure("cannot create", temporary) }
    var written = 0
    let data = Array(bytes)
    let ok = data.withUnsafeBytes { buffer -> Bool in
      while written < buffer.count {
        let result = systemWrite(descriptor, buffer.baseAddress.map { $0 + written }, buffer.count - written)
        if result < 0 {
          if errno == EINTR { continue }
          return false
        }
        written += result
      }
      return true
    }
    // umask may have narrowed the mode; set it exactly.
    let complete = ok && fchmod(descriptor, mode_t(mode)) == 0 && fsync(descriptor) == 0
    let reason = complete ? nil : failure("cannot write", temporary)
    close(descriptor)
    if let reason {
      unlink(temporary)
      throw reason
    }
    guard rename(temporary, path) == 0 else {
      let reason = failure("cannot move into place", path)
      unlink(temporary)
      throw reason
    }
  }

  package static func write(_ text: String, to path: String, mode: UInt32 = 0o644) throws(Failure) {
    try write(Array(text.utf8), to: path, mode: mode)
  }

  private static func failure(_ what: String, _ path: String) -> Failure {
    Failure(description: "\(what) \(path): \(String(cString: strerror(errno)))")
  }
}
