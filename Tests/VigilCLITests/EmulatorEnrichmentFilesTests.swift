import Foundation
import Testing
import VigilConfig
import VigilEnrichment
import VigilTestSupport

/// `vigil emulator --enrichment-directory`: the demo's offline sources for the emulated networks, and an
/// `enrichment:` section that loads as part of a `vigil.yaml` beside them.
@Suite struct EmulatorEnrichmentFilesTests {
  @Test func theEmulatorWritesSourcesAndASectionThatLoads() async throws {
    let scratch = try TemporaryDirectory()
    let served = try await VigilProcess.run(
      ["emulator", "--port", "0", "--users", "3", "--days", "1", "--enrichment-directory", scratch.path],
      interruptWhen: { $0.contains("admin API") })
    #expect(served.status == 0, "\(served.error)")
    #expect(served.output.contains("Enrichment sources for the emulated networks written to \(scratch.path)"))
    let section = try String(contentsOfFile: scratch.path + "/enrichment.yaml", encoding: .utf8)
    let text = "data_dir: .\naccounts:\n  - name: a\n    token_env: T\n" + section
    let configuration = try ConfigLoader(file: scratch.path + "/vigil.yaml", environment: [:]).load(text)
    let enrichment = configuration.enrichment
    for path in [enrichment.cityDatabase, enrichment.asnDatabase].compactMap(\.self) {
      #expect(FileManager.default.fileExists(atPath: path), "\(path)")
    }
    #expect(enrichment.cityDatabase != nil && enrichment.asnDatabase != nil)
    #expect(enrichment.feeds.map(\.name) == ["tor-exits", "hostile-networks"])
  }
}
