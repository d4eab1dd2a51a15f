import Foundation
import Testing
import VigilTestSupport

/// Runs the built `vigil` binary with bad input: every case must end in a clear error and a non-zero
/// exit, never a crash or a stack trace.
@Suite struct BadInputTests {
  /// A file holding `contents` in `directory`, which removes it when the test ends.
  static func temporaryFile(_ contents: String, in directory: borrowing TemporaryDirectory) throws -> String {
    let path = directory.path + "/file-\(UInt32.random(in: 0...UInt32.max))"
    try contents.write(toFile: path, atomically: false, encoding: .utf8)
    return path
  }

  /// A well-formed token that no server accepts (the signature is not checked by clients).
  static let unsignedToken =
    "eyJhbGciOiJFUzI1NiJ9."
    + "eyIxcGFzc3dvcmQuY29tL2F1dWlkIjoiQUNDIiwiMXBhc3N3b3JkLmNvbS9mdHMiOlsic2lnbmluYXR0ZW1wdHMiXSwiYXVkIjpbImV2ZW50cy4xcGFzc3dvcmQuY29tIl19"
    + ".c2ln"

  @Test func binaryIsBuilt() {
    #expect(FileManager.default.isExecutableFile(atPath: VigilProcess.binary.path), "build vigil first: swift build")
  }

  @Test func theEmulatorStaysOnLoopbackUnlessAllowed() async throws {
    let outcome = try await VigilProcess.run(["emulator", "--host", "0.0.0.0", "--port", "0"])
    #expect(outcome.status == 1)
    #expect(outcome.error.contains("--allow-remote"))
  }

  @Test(arguments: [
    (["no-such-command"], "Error:"),
    (["emulator", "--port", "99999"], "--port must be between 0 and 65535"),
    (["emulator", "--scenarios", "bogus", "--port", "0"], "unknown scenario 'bogus'"),
    (["emulator", "--faults", "503=2", "--port", "0"], "fault spec '503=2'"),
    (["emulator", "--replay", "/nonexistent/signinattempts.ndjson", "--port", "0"], "cannot read replay file"),
    (
      ["token", "inspect", "--token-file", "/nonexistent/token"],
      "cannot read token file /nonexistent/token: no such file"
    ),
    (["token", "inspect", "--token-env", "VIGIL_TEST_UNSET_VARIABLE"], "is not set"),
    (["token", "inspect"], "no token given"),
  ])
  func refusesBadInput(arguments: [String], message: String) async throws {
    let outcome = try await VigilProcess.run(arguments)
    #expect(outcome.status != 0)
    #expect(outcome.error.contains(message), "stderr was: \(outcome.error)")
    #expect(!outcome.error.contains("Fatal error") && !outcome.error.contains("Stack dump"))
  }

  @Test func garbageTokenIsRefusedWithoutEchoingIt() async throws {
    let directory = try TemporaryDirectory()
    let path = try Self.temporaryFile("my-secret-garbage\n", in: directory)
    let outcome = try await VigilProcess.run(["token", "inspect", "--token-file", path])
    #expect(outcome.status != 0)
    #expect(outcome.error.contains("not a JWT"))
    #expect(!outcome.error.contains("my-secret-garbage") && !outcome.output.contains("my-secret-garbage"))
    #expect(outcome.error.split(separator: "\n").count == 1)
  }

  @Test func unreachableHostIsOneClearLine() async throws {
    let directory = try TemporaryDirectory()
    let path = try Self.temporaryFile(Self.unsignedToken, in: directory)
    let outcome = try await VigilProcess.run([
      "token", "inspect", "--token-file", path, "--online", "--url", "http://127.0.0.1:1",
    ])
    #expect(outcome.status != 0)
    #expect(outcome.error.contains("cannot reach the Events API"))
    #expect(outcome.error.split(separator: "\n").count == 1)
    #expect(outcome.output.contains("Features:   signinattempts"))
    #expect(!outcome.output.contains(Self.unsignedToken) && !outcome.error.contains(Self.unsignedToken))
  }

  @Test func inspectShowsRegionWithoutTheToken() async throws {
    let directory = try TemporaryDirectory()
    let path = try Self.temporaryFile(Self.unsignedToken, in: directory)
    let outcome = try await VigilProcess.run(["token", "inspect", "--token-file", path])
    #expect(outcome.status == 0)
    #expect(outcome.output.contains("https://events.1password.com"))
    #expect(outcome.output.contains("1password.com (US, Business)"))
    #expect(outcome.output.contains("Cannot read: item usages, audit events"))
    #expect(!outcome.output.contains(Self.unsignedToken))
  }
}
