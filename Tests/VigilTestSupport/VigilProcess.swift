import Dispatch
import Foundation

/// The built `vigil` binary, run as a user would run it.
package enum VigilProcess {
  package static let binary = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent(".build/debug/vigil")

  package struct Outcome: Sendable {
    package var status: Int32
    package var output: String
    package var error: String
  }

  /// Runs `vigil` to the end on a thread of its own: waiting for a child must never hold one of the
  /// few threads Swift concurrency has (an emulator or server in this test process needs them).
  package static func run(_ arguments: [String], environment: [String: String]? = nil) async throws -> Outcome {
    try await withCheckedThrowingContinuation { continuation in
      DispatchQueue.global().async {
        continuation.resume(with: Result { try runBlocking(arguments, environment: environment) })
      }
    }
  }

  /// Runs a long-lived command (`vigil demo`, `vigil run`) and sends it SIGINT once its standard
  /// output satisfies `ready`, as a user pressing Ctrl-C would; returns when it has exited.
  package static func run(_ arguments: [String], interruptWhen ready: @escaping @Sendable (String) -> Bool)
    async throws -> Outcome
  {
    try await withCheckedThrowingContinuation { continuation in
      DispatchQueue.global().async {
        continuation.resume(with: Result { try runBlocking(arguments, environment: nil, interruptWhen: ready) })
      }
    }
  }

  private static func runBlocking(
    _ arguments: [String], environment: [String: String]?, interruptWhen ready: ((String) -> Bool)? = nil
  ) throws -> Outcome {
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    if let environment { process.environment = environment }
    let output = Pipe()
    let error = Pipe()
    process.standardOutput = output
    process.standardError = error
    process.standardInput = FileHandle.nullDevice
    try process.run()
    // Standard error is drained beside standard output, so a chatty child never blocks on a full pipe.
    let errorData = ErrorDrain(error.fileHandleForReading)
    var outputData = Data()
    if let ready {
      var interrupted = false
      while case let chunk = output.fileHandleForReading.availableData, !chunk.isEmpty {
        outputData.append(chunk)
        if !interrupted, ready(String(decoding: outputData, as: UTF8.self)) {
          process.interrupt()
          interrupted = true
        }
      }
    } else {
      outputData = output.fileHandleForReading.readDataToEndOfFile()
    }
    process.waitUntilExit()
    return Outcome(
      status: process.terminationStatus, output: String(decoding: outputData, as: UTF8.self),
      error: String(decoding: errorData.wait(), as: UTF8.self))
  }
}

/// Reads a pipe to its end on another thread.
private final class ErrorDrain: @unchecked Sendable {
  private var data = Data()
  private let done = DispatchSemaphore(value: 0)

  init(_ handle: FileHandle) {
    DispatchQueue.global().async {
      self.data = handle.readDataToEndOfFile()
      self.done.signal()
    }
  }

  func wait() -> Data {
    done.wait()
    return data
  }
}
