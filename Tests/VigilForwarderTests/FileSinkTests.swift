import Foundation
import Testing
import VigilBase
import VigilCore
import VigilForwarder
import VigilSinks
import VigilTestSupport

/// The file sink: every event once across the live file and its rotations (gzipped), even when several
/// rotations fall in the same second.
@Suite struct FileSinkTests {
  @Test func rotationsKeepEveryEventOnce() async throws {
    let directory = try TemporaryDirectory("vigil-file-sink")
    let events = SampleEvents.generate(users: 3, days: 1) { _ in "acme" }
    let store = try await SinkHarness.store(events)
    var settings = SinkSettings.File(path: directory.path + "/events.ndjson")
    settings.rotateBytes = 4_096
    settings.gzip = true
    // A clock that stands still: every rotation has the same start second.
    let clock = ManualClock(start: SampleEvents.now)
    let connection = FileSinkConnection(settings: settings, clock: clock)
    try await SinkHarness.runToEnd(
      SinkHarness.service("archive", connection, store: store, events: 10, clock: clock), name: "archive", store: store)
    let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
    let rotated = names.filter { $0.hasSuffix(".ndjson.gz") }
    #expect(rotated.count > 2, "\(names)")
    var lines: [String] = []
    for name in names {
      let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: directory.path + "/" + name)))
      let text = String(decoding: name.hasSuffix(".gz") ? try gunzip(bytes) : bytes, as: UTF8.self)
      lines += text.split(separator: "\n").map(String.init)
    }
    #expect(lines.count == events.count)
    #expect(Set(lines) == Set(events.map { String(decoding: $0.raw, as: UTF8.self) }))
  }
}
