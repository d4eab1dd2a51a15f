import Dispatch
import Foundation

/// A real rsyslog (Debian's `rsyslog`, with `rsyslog-gnutls` for TLS; `scripts/test` installs both)
/// listening on a loopback port it picks itself, in a temp dir of its own. It writes each message it
/// receives twice: as received (`%rawmsg%`, the frame without its octet count) and as rsyslog parsed
/// it (PRI, HOSTNAME, APP-NAME, MSGID, timestamp, MSG), so tests check both the bytes and that a real
/// server reads them as RFC 5424. TLS uses a throwaway CA and a certificate for `localhost`.
package final class RsyslogServer: @unchecked Sendable {
  package enum Transport: Sendable { case tcp, tls }

  package let port: Int
  /// The throwaway CA (PEM) that signed the server's certificate: trust it as `ca_file`.
  package let certificateAuthority: String?
  let directory: String
  private let process: Process

  private init(port: Int, certificateAuthority: String?, directory: String, process: Process) {
    self.port = port
    self.certificateAuthority = certificateAuthority
    self.directory = directory
    self.process = process
  }

  /// Starts rsyslogd in `directory`, off the concurrency pool (it waits for the port file).
  package static func start(in directory: borrowing TemporaryDirectory, transport: Transport) async throws
    -> RsyslogServer
  {
    let path = directory.path
    return try await withCheckedThrowingContinuation { continuation in
      DispatchQueue.global().async {
        continuation.resume(with: Result { try startBlocking(in: path, transport: transport) })
      }
    }
  }

  private static func startBlocking(in directory: String, transport: Transport) throws -> RsyslogServer {
    guard let rsyslogd = ["/usr/sbin/rsyslogd", "/sbin/rsyslogd"].first(where: FileManager.default.isExecutableFile)
    else {
      throw FixtureError("rsyslogd is not installed (scripts/test installs it: apt-get install rsyslog rsyslog-gnutls)")
    }
    var global = #"workDirectory="\#(directory)" maxMessageSize="256k""#
    var module = #"module(load="imtcp")"#
    var authority: String?
    if transport == .tls {
      authority = try makeCertificates(in: directory)
      global +=
        #" DefaultNetstreamDriverCAFile="\#(directory)/ca.pem""#
        + #" DefaultNetstreamDriverCertFile="\#(directory)/server.pem""#
        + #" DefaultNetstreamDriverKeyFile="\#(directory)/server.key""#
      module = #"module(load="imtcp" StreamDriver.Name="gtls" StreamDriver.Mode="1" StreamDriver.AuthMode="anon")"#
    }
    let configuration = """
      global(\(global))
      \(module)
      input(type="imtcp" port="0" address="127.0.0.1" listenPortFileName="\(directory)/port")
      template(name="raw" type="string" string="%rawmsg%\\n")
      template(name="fields" type="string"
        string="%pri%|%hostname%|%app-name%|%msgid%|%timereported:::date-rfc3339%|%msg%\\n")
      action(type="omfile" file="\(directory)/raw.log" template="raw")
      action(type="omfile" file="\(directory)/fields.log" template="fields")

      """
    try configuration.write(toFile: directory + "/rsyslog.conf", atomically: true, encoding: .utf8)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: rsyslogd)
    process.arguments = ["-n", "-f", directory + "/rsyslog.conf", "-i", directory + "/rsyslogd.pid"]
    process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
    let errors = directory + "/rsyslogd.err"
    _ = FileManager.default.createFile(atPath: errors, contents: nil)
    process.standardError = FileHandle(forWritingAtPath: errors)
    try process.run()
    let deadline = Date().addingTimeInterval(20)
    while Date() < deadline {
      if let text = try? String(contentsOfFile: directory + "/port", encoding: .utf8),
        let port = Int(text.trimmingCharacters(in: .whitespacesAndNewlines)), port > 0
      {
        return RsyslogServer(port: port, certificateAuthority: authority, directory: directory, process: process)
      }
      if !process.isRunning { break }
      Thread.sleep(forTimeInterval: 0.05)
    }
    if process.isRunning { process.terminate() }
    let message = (try? String(contentsOfFile: errors, encoding: .utf8)) ?? ""
    throw FixtureError("rsyslogd did not start listening: \(message)")
  }

  /// A throwaway CA and a server certificate for `localhost` and 127.0.0.1; returns the CA's path.
  private static func makeCertificates(in directory: String) throws -> String {
    let steps: [[String]] = [
      [
        "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj",
        "/CN=Vigil throwaway test CA",
      ],
      [
        "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost",
      ],
      [
        "x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out",
        "server.pem", "-days", "2", "-extfile", "san.ext",
      ],
    ]
    try "subjectAltName=DNS:localhost,IP:127.0.0.1\n".write(
      toFile: directory + "/san.ext", atomically: true, encoding: .utf8)
    for arguments in steps {
      let process = Process()
      process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
      process.arguments = ["openssl"] + arguments
      process.currentDirectoryURL = URL(fileURLWithPath: directory)
      process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
      process.standardError = FileHandle(forWritingAtPath: "/dev/null")
      try process.run()
      process.waitUntilExit()
      guard process.terminationStatus == 0 else {
        throw FixtureError("openssl could not make the test certificates (\(arguments[0]))")
      }
    }
    return directory + "/ca.pem"
  }

  /// The messages as received, one per line.
  package func rawMessages() -> [String] { lines("raw.log") }
  /// The messages as rsyslog parsed them: `PRI|HOSTNAME|APP-NAME|MSGID|TIMESTAMP|MSG`.
  package func parsedMessages() -> [String] { lines("fields.log") }

  private func lines(_ name: String) -> [String] {
    let text = (try? String(contentsOfFile: directory + "/" + name, encoding: .utf8)) ?? ""
    return text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
  }

  /// Waits (at most `seconds`) until rsyslog has written `count` messages; returns how many it wrote.
  package func waitForMessages(_ count: Int, seconds: Double = 30) async throws -> Int {
    let deadline = Date().addingTimeInterval(seconds)
    while parsedMessages().count < count, Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
    return parsedMessages().count
  }

  /// What rsyslogd logged about itself (TLS handshake failures, for one).
  package var diagnostics: String { (try? String(contentsOfFile: directory + "/rsyslogd.err", encoding: .utf8)) ?? "" }

  /// Stops rsyslogd (SIGTERM) and reaps it off the concurrency pool.
  package func stop() {
    let process = self.process
    if process.isRunning { process.terminate() }
    DispatchQueue.global().async { process.waitUntilExit() }
  }
}
