import Dispatch
import Foundation
import Testing
import VigilBase
import VigilSMTP
import VigilTestSupport

/// The SMTP client against a real relay (aiosmtpd): STARTTLS, AUTH PLAIN and LOGIN, refusals.
@Suite struct SMTPClientTests {
  static let message = Array(
    "From: vigil@example.com\r\nTo: soc@example.com\r\nSubject: test\r\n\r\nline one\r\n.hidden dot line\r\n".utf8)

  func configuration(_ relay: SMTPRelay, password: String = SMTPRelay.password) -> SMTPClient.Configuration {
    var configuration = SMTPClient.Configuration(host: "localhost", port: relay.port)
    configuration.username = SMTPRelay.user
    configuration.password = password
    configuration.caFile = relay.certificate
    configuration.timeout = 10
    return configuration
  }

  @Test(arguments: ["PLAIN", "LOGIN"]) func mailGoesThroughStartTLSAndAuth(mechanism: String) async throws {
    let directory = try TemporaryDirectory()
    let relay = try await SMTPRelay.start(in: directory, mechanisms: mechanism)
    defer { relay.stop() }
    let client = SMTPClient(configuration(relay))
    try await client.send(
      MailEnvelope(
        from: "vigil@example.com", recipients: ["soc@example.com", "oncall@example.com"], message: Self.message))
    let received = try relay.received()
    try #require(received.count == 1)
    let envelope = received[0].envelope
    #expect(envelope["tls"] as? Bool == true && envelope["authenticated"] as? Bool == true)
    #expect(envelope["login"] as? String == SMTPRelay.user)
    #expect(envelope["from"] as? String == "vigil@example.com")
    #expect(envelope["to"] as? [String] == ["soc@example.com", "oncall@example.com"])
    // The dot-stuffed line arrives as it was written.
    #expect(received[0].message.contains("\n.hidden dot line"))
  }

  @Test func aWrongPasswordFailsForGoodWithoutShowingIt() async throws {
    let directory = try TemporaryDirectory()
    let relay = try await SMTPRelay.start(in: directory)
    defer { relay.stop() }
    let client = SMTPClient(configuration(relay, password: "not-the-password-123"))
    await #expect {
      try await client.send(
        MailEnvelope(from: "vigil@example.com", recipients: ["soc@example.com"], message: Self.message))
    } throws: { error in
      guard let failure = error as? DeliveryFailure else { return false }
      return failure.permanent && failure.message.contains("refused the login")
        && !failure.message.contains("not-the-password-123")
    }
    #expect(try relay.received().isEmpty)
  }

  @Test func anUntrustedCertificateIsRefused() async throws {
    let directory = try TemporaryDirectory()
    let relay = try await SMTPRelay.start(in: directory)
    defer { relay.stop() }
    var configuration = configuration(relay)
    configuration.caFile = nil
    await #expect {
      try await SMTPClient(configuration).send(
        MailEnvelope(from: "vigil@example.com", recipients: ["soc@example.com"], message: Self.message))
    } throws: { error in
      (error as? DeliveryFailure)?.message.contains("TLS") == true
    }
    #expect(try relay.received().isEmpty)
  }

  @Test func aRelayThatIsDownIsWorthARetry() async throws {
    // A port that was just served: nothing listens there any more.
    let directory = try TemporaryDirectory()
    let relay = try await SMTPRelay.start(in: directory)
    relay.stop()
    var configuration = SMTPClient.Configuration(host: "127.0.0.1", port: relay.port)
    configuration.username = "u"
    configuration.password = "p"
    configuration.security = .none
    configuration.timeout = 2
    await #expect {
      try await SMTPClient(configuration).send(
        MailEnvelope(from: "vigil@example.com", recipients: ["soc@example.com"], message: Self.message))
    } throws: { error in
      guard let failure = error as? DeliveryFailure else { return false }
      return !failure.permanent && failure.message.contains("cannot connect")
    }
  }

  @Test func addressesThatCouldEndTheCommandAreRefused() async throws {
    let client = SMTPClient(SMTPClient.Configuration(host: "localhost", port: 1))
    await #expect {
      try await client.send(
        MailEnvelope(from: "vigil@example.com", recipients: ["a@example.com>\r\nRCPT TO:<b@example.com"], message: []))
    } throws: { error in
      (error as? DeliveryFailure)?.permanent == true
    }
  }
}

/// A relay that accepts and never speaks: the reply timeout fires, as a retry, naming the relay.
@Suite struct SMTPTimeoutTests {
  @Test func aSilentRelayTimesOut() async throws {
    let silent = Process()
    silent.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    silent.arguments = [
      "python3", "-c",
      "import socket,sys,time\ns=socket.socket()\ns.bind(('127.0.0.1',0))\ns.listen()\n"
        + "print(s.getsockname()[1],flush=True)\nc,_=s.accept()\nsys.stdin.read()",
    ]
    let output = Pipe()
    let input = Pipe()
    silent.standardOutput = output
    silent.standardInput = input
    try silent.run()
    defer {
      try? input.fileHandleForWriting.close()
      DispatchQueue.global().async { silent.waitUntilExit() }
    }
    let line = await withCheckedContinuation { continuation in
      DispatchQueue.global().async {
        var bytes = Data()
        while case let chunk = output.fileHandleForReading.readData(ofLength: 1), !chunk.isEmpty,
          chunk != Data("\n".utf8)
        {
          bytes.append(chunk)
        }
        continuation.resume(returning: String(decoding: bytes, as: UTF8.self))
      }
    }
    let port = try #require(Int(line))
    var configuration = SMTPClient.Configuration(host: "127.0.0.1", port: port)
    configuration.security = .none
    configuration.timeout = 1
    let started = ContinuousClock.now
    await #expect {
      try await SMTPClient(configuration).send(
        MailEnvelope(from: "vigil@example.com", recipients: ["soc@example.com"], message: SMTPClientTests.message))
    } throws: { error in
      guard let failure = error as? DeliveryFailure else { return false }
      return !failure.permanent && failure.message.contains("did not answer connecting within 1 s")
    }
    #expect(ContinuousClock.now - started >= .seconds(1), "the timeout, not something else, ended it")
  }
}
