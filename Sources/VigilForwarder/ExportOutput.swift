import CompressNIO
import Foundation
import NIOCore
import Synchronization

/// Where an export's (and a file sink's rotated files') bytes go: standard output or a file written aside and renamed when complete (an
/// interrupted export never leaves a file that looks whole), optionally gzip-compressed as it streams.
/// Exports hold emails and IP addresses: the file is created at mode 0600, exclusively and never
/// through a symlink.
package final class ExportOutput: Sendable {
  private struct State {
    var pending: [UInt8] = []
    var compressor: (any NIOCompressor)?
    var bytesWritten = 0
  }

  private let handle: FileHandle
  private let path: String?
  private let partial: String?
  private let state: Mutex<State>
  static let chunk = 256 * 1024

  package init(path: String?, gzip: Bool) throws {
    if let path {
      let partial = path + ".\(UInt32.random(in: 0...UInt32.max)).part"
      let descriptor = open(partial, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
      guard descriptor >= 0 else {
        throw OutputFileError(
          "cannot write \(partial): \(String(cString: strerror(errno))); check the directory exists and is writable")
      }
      handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
      self.partial = partial
    } else {
      handle = FileHandle.standardOutput
      partial = nil
    }
    self.path = path
    var initial = State()
    if gzip {
      let compressor = CompressionAlgorithm.gzip().compressor
      try compressor.startStream()
      initial.compressor = compressor
    }
    state = Mutex(initial)
  }

  package var bytesWritten: Int { state.withLock { $0.bytesWritten } }

  /// Buffers bytes; they are compressed and written a chunk at a time.
  package func write(_ bytes: [UInt8]) throws {
    try state.withLock { state in
      state.pending += bytes
      if state.pending.count >= Self.chunk { try flush(&state, final: false) }
    }
  }

  private func flush(_ state: inout State, final: Bool) throws {
    var output: [UInt8]
    if let compressor = state.compressor {
      var input = ByteBuffer(bytes: state.pending)
      var compressed = ByteBuffer()
      compressed.reserveCapacity(compressor.maxSize(from: input) + 64 * 1024)
      try input.compressStream(to: &compressed, with: compressor, flush: final ? .finish : .no)
      output = Array(compressed.readableBytesView)
      if final { try compressor.finishStream() }
    } else {
      output = state.pending
    }
    state.pending.removeAll(keepingCapacity: true)
    guard !output.isEmpty else { return }
    try handle.write(contentsOf: output)
    state.bytesWritten += output.count
  }

  /// Writes what is buffered, ends the gzip stream and moves the file into place.
  package func finish() throws {
    try state.withLock { try flush(&$0, final: true) }
    if let path, let partial {
      try handle.close()
      // rename(2) replaces an existing file atomically.
      guard rename(partial, path) == 0 else {
        throw OutputFileError("cannot move the export into place at \(path): \(String(cString: strerror(errno)))")
      }
    }
  }

  /// Removes the partial file after a failure.
  package func abandon() {
    guard let partial else { return }
    try? handle.close()
    unlink(partial)
  }
}

/// A file that cannot be written, with what to check.
package struct OutputFileError: Error, CustomStringConvertible {
  package var description: String
  init(_ description: String) { self.description = description }
}
