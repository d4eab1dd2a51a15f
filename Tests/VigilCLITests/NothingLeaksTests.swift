import Foundation
import Testing
import VigilBase
import VigilEmulator
import VigilTestSupport

/// The README's promise, checked on the real binary: no output, log or stored byte holds the token or
/// its signature, whether the token file is wrapped (the case that once leaked) or good.
@Suite struct NothingLeaksTests {
  @Test func noOutputLogOrStoreHoldsTheToken() async throws {
    try await CollectorProcessTests().withSetup(users: 10, days: 3) { setup in
      let token = try #require(try setup.writeConfig().first)
      let signature = try #require(token.split(separator: ".").last.map(String.init))
      let tokenFile = setup.directory + "/acme.jwt"
      var transcripts: [String] = []
      func vigil(_ arguments: [String]) async throws -> VigilProcess.Outcome {
        let outcome = try await VigilProcess.run(arguments)
        transcripts += [outcome.output, outcome.error]
        return outcome
      }
      let config = ["--config", setup.config]
      // A wrapped token file: refused by name, the account left out, the others (none) unaffected.
      try AtomicFile.write(token.prefix(token.count - 20) + "\n" + token.suffix(20) + "\n", to: tokenFile, mode: 0o600)
      let wrapped = try await vigil(["collect", "--until-caught-up", "--log-level", "debug"] + config)
      #expect(wrapped.status == 1)
      #expect(wrapped.output.contains("line break or space inside"), "\(wrapped.output)")
      _ = try await vigil(["config", "check"] + config)
      _ = try await vigil(["status", "--format", "json"] + config)
      // The good token: a full run and every reading command.
      try AtomicFile.write(token + "\n", to: tokenFile, mode: 0o600)
      let collected = try await vigil(["collect", "--until-caught-up", "--log-level", "debug"] + config)
      #expect(collected.status == 0, "\(collected.output)\(collected.error)")
      _ = try await vigil(["status"] + config)
      _ = try await vigil(["status", "--format", "json"] + config)
      _ = try await vigil(["config", "check"] + config)
      _ = try await vigil(["search", "signin | top 5 user"] + config)
      let export = setup.directory + "/export.ndjson"
      #expect(try await vigil(["export", "--format", "raw", "-o", export] + config).status == 0)
      let inspected = try await vigil([
        "token", "inspect", "--token-file", tokenFile, "--online", "--url", setup.emulator.baseURL,
      ])
      #expect(inspected.status == 0, "\(inspected.error)")
      #expect(transcripts.joined().count > 1000, "the commands said almost nothing: the check would be empty")
      for (index, text) in transcripts.enumerated() {
        #expect(!text.contains(token), "transcript \(index) holds the token")
        #expect(!text.contains(signature), "transcript \(index) holds the token's signature")
      }
      let files = try FileManager.default.contentsOfDirectory(atPath: setup.directory).filter { !$0.hasSuffix(".jwt") }
      #expect(files.contains("vigil.db"))
      for file in files {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: setup.directory + "/" + file))
        #expect(bytes.range(of: Data(token.utf8)) == nil, "\(file) holds the token")
        #expect(bytes.range(of: Data(signature.utf8)) == nil, "\(file) holds the token's signature")
      }
    }
  }

  /// `vigil demo` issues its own token: run it through its backfill, stop it as a user would (Ctrl-C),
  /// then look for that token in everything it said and wrote.
  @Test func theDemoLeaksNothing() async throws {
    let parent = try TemporaryDirectory()
    let directory = parent.path + "/demo"
    let outcome = try await VigilProcess.run(
      ["demo", "--directory", directory, "--port", "0", "--log-level", "debug"],
      interruptWhen: { $0.contains("Backfill complete") })
    #expect(outcome.status == 0, "\(outcome.error.suffix(2000))")
    #expect(outcome.output.contains("Backfill complete"))
    #expect(outcome.output.contains("Demo stopped"))
    let token = try String(contentsOfFile: directory + "/demo-token.jwt", encoding: .utf8).trimmingWhitespace
    let signature = try #require(token.split(separator: ".").last.map(String.init))
    #expect(signature.count > 40)
    #expect(outcome.error.count > 1000, "the debug log said almost nothing: the check would be empty")
    for text in [outcome.output, outcome.error] {
      #expect(!text.contains(signature), "the demo printed its token's signature")
    }
    let files = (FileManager.default.enumerator(atPath: directory)?.allObjects as? [String] ?? []).filter { file in
      var isDirectory: ObjCBool = false
      let exists = FileManager.default.fileExists(atPath: directory + "/" + file, isDirectory: &isDirectory)
      return exists && !isDirectory.boolValue && file != "demo-token.jwt"
    }
    #expect(files.contains("vigil.db"))
    for file in files {
      let bytes = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + file))
      #expect(bytes.range(of: Data(signature.utf8)) == nil, "\(file) holds the demo token's signature")
    }
  }
}
