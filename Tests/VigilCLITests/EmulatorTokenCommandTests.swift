import Foundation
import Testing
import VigilTestSupport

/// `vigil emulator` as a real process, managed with `vigil emulator token issue|revoke` and checked with
/// `vigil token inspect --online`.
@Suite struct EmulatorTokenCommandTests {
  @Test func issueInspectRevoke() async throws {
    let scratch = try TemporaryDirectory()
    let directory = URL(fileURLWithPath: scratch.path)
    let emulator = Process()
    emulator.executableURL = VigilProcess.binary
    emulator.arguments = ["emulator", "--port", "0", "--users", "5", "--days", "2", "--log-level", "error"]
    let output = Pipe()
    emulator.standardOutput = output
    try emulator.run()
    defer { emulator.terminate() }
    var url: String?
    var buffer = ""
    while url == nil {
      let data = output.fileHandleForReading.availableData
      guard !data.isEmpty else { break }
      buffer += String(decoding: data, as: UTF8.self)
      if let range = buffer.range(of: #"http://127\.0\.0\.1:\d+"#, options: .regularExpression) {
        url = String(buffer[range])
      }
    }
    let base = try #require(url, "the emulator did not announce its address")
    let tokenFile = directory.appendingPathComponent("t.jwt").path
    let issued = try await VigilProcess.run([
      "emulator", "token", "issue", "--emulator", base, "--features", "itemusages", "-o", tokenFile,
    ])
    #expect(issued.status == 0, "\(issued.error)")
    let attributes = try FileManager.default.attributesOfItem(atPath: tokenFile)
    #expect((attributes[.posixPermissions] as? Int) == 0o600)

    let inspected = try await VigilProcess.run([
      "token", "inspect", "--token-file", tokenFile, "--online", "--url", base,
    ])
    #expect(inspected.status == 0, "\(inspected.error)")
    #expect(inspected.output.contains("Introspection") && inspected.output.contains("Features:   itemusages"))

    let revoked = try await VigilProcess.run([
      "emulator", "token", "revoke", "--emulator", base, "--token-file", tokenFile,
    ])
    #expect(revoked.status == 0, "\(revoked.error)")
    let refused = try await VigilProcess.run(["token", "inspect", "--token-file", tokenFile, "--online", "--url", base])
    #expect(refused.status != 0)
    #expect(refused.error.contains("refused the token"))
  }
}
