import Dispatch
import Foundation

/// aiosmtpd on a loopback port, with a fresh self-signed certificate for `localhost`: STARTTLS is
/// required before AUTH. `scripts/test` installs aiosmtpd; without it these tests fail and say so.
package final class SMTPRelay: @unchecked Sendable {
  package let port: Int
  /// The relay's certificate (PEM): trust it as `ca_file`.
  package let certificate: String
  let outbox: String
  private let process: Process
  private let input: Pipe

  package static let user = "vigil"
  package static let password = "s3cret-relay-pass"

  private init(port: Int, certificate: String, outbox: String, process: Process, input: Pipe) {
    self.port = port
    self.certificate = certificate
    self.outbox = outbox
    self.process = process
    self.input = input
  }

  package static func start(in directory: borrowing TemporaryDirectory, mechanisms: String = "PLAIN,LOGIN") async throws
    -> SMTPRelay
  {
    let path = directory.path
    return try await withCheckedThrowingContinuation { continuation in
      DispatchQueue.global().async {
        continuation.resume(with: Result { try startBlocking(in: path, mechanisms: mechanisms) })
      }
    }
  }

  private static func startBlocking(in directory: String, mechanisms: String) throws -> SMTPRelay {
    let certificate = directory + "/relay.pem"
    let key = directory + "/relay.key"
    let openssl = try run(
      "/usr/bin/env",
      [
        "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate, "-days", "2",
        "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost",
      ])
    guard openssl == 0 else { throw FixtureError("openssl could not make the relay's certificate") }
    let outbox = directory + "/received"
    try FileManager.default.createDirectory(atPath: outbox, withIntermediateDirectories: true)
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
      "Fixtures/smtp_server.py"
    ).path
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [
      "python3", script, certificate, key, user, password, outbox, "--mechanisms", mechanisms,
    ]
    let input = Pipe()
    let output = Pipe()
    let errors = Pipe()
    process.standardInput = input
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let line = readLine(output.fileHandleForReading)
    guard let port = Int(line.trimmingCharacters(in: .whitespacesAndNewlines)) else {
      process.terminate()
      let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      throw FixtureError(
        "the aiosmtpd relay did not start (scripts/test installs aiosmtpd: python3 -m pip install aiosmtpd): \(message)"
      )
    }
    return SMTPRelay(port: port, certificate: certificate, outbox: outbox, process: process, input: input)
  }

  private static func readLine(_ handle: FileHandle) -> String {
    var bytes = Data()
    while true {
      let chunk = handle.readData(ofLength: 1)
      if chunk.isEmpty || chunk == Data("\n".utf8) { break }
      bytes.append(chunk)
    }
    return String(decoding: bytes, as: UTF8.self)
  }

  private static func run(_ tool: String, _ arguments: [String]) throws -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: tool)
    process.arguments = arguments
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    return process.terminationStatus
  }

  /// Each received message, in order: its text and its envelope (from, to, authenticated, tls, login).
  package func received() throws -> [(message: String, envelope: [String: Any])] {
    let names = try FileManager.default.contentsOfDirectory(atPath: outbox).filter { $0.hasSuffix(".eml") }
      .sorted { Int($0.dropLast(4)) ?? 0 < Int($1.dropLast(4)) ?? 0 }
    return try names.map { name in
      let base = outbox + "/" + name.dropLast(4)
      let message = try String(contentsOfFile: base + ".eml", encoding: .utf8)
      let envelope = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: base + ".json")))
      return (message, envelope as? [String: Any] ?? [:])
    }
  }

  /// Closes the relay's standard input (it stops) and reaps it off the concurrency pool.
  package func stop() {
    try? input.fileHandleForWriting.close()
    let process = self.process
    DispatchQueue.global().async { process.waitUntilExit() }
  }
}
