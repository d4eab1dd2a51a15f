import Foundation
import Testing
import VigilCore
import VigilEventsAPIModel
import VigilFormats
import VigilJSON
import VigilTestSupport

/// Every input × every format against a checked-in expected output (`Fixtures/golden/`).
@Suite struct GoldenFormatTests {
  static let update = ProcessInfo.processInfo.environment["VIGIL_UPDATE_GOLDEN"] == "1"

  @Test(arguments: ExportFormat.allCases)
  func matchesGoldenFiles(format: ExportFormat) throws {
    for input in FormatFixtures.inputs {
      try check(format, input.name, [try FormatFixtures.event(input.name, stream: input.stream)])
      try check(format, input.name + ".enriched", [try FormatFixtures.enriched(input.name, stream: input.stream)])
    }
  }

  private func check(_ format: ExportFormat, _ name: String, _ events: [CanonicalEvent]) throws {
    let encoder = format.encoder
    var output = encoder.header()
    for event in events { encoder.encode(event, into: &output) }
    let file = FormatFixtures.directory.appendingPathComponent("golden/\(name).\(format.rawValue)")
    if Self.update {
      try FileManager.default.createDirectory(
        at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data(prettyIfJSON(output, format)).write(to: file)
      return
    }
    let expected = try Data(contentsOf: file)
    #expect(
      Array(expected) == prettyIfJSON(output, format),
      "\(name).\(format.rawValue) differs from its golden file; rerun with VIGIL_UPDATE_GOLDEN=1 and review")
  }

  /// Golden JSON is stored one key per line so that a change shows as a readable diff; the exported
  /// bytes are compact NDJSON (checked by `exportIsOneCompactLinePerEvent`).
  private func prettyIfJSON(_ bytes: [UInt8], _ format: ExportFormat) -> [UInt8] {
    guard format == .ecs || format == .ocsf else { return bytes }
    let line = bytes.split(separator: 0x0A).first.map(Array.init) ?? []
    guard let object = try? JSONSerialization.jsonObject(with: Data(line)),
      let pretty = try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
    else { return bytes }
    return Array(pretty) + [0x0A]
  }

  @Test(arguments: [ExportFormat.ecs, .ocsf, .raw])
  func exportIsOneCompactLinePerEvent(format: ExportFormat) throws {
    var output: [UInt8] = []
    let encoder = format.encoder
    for input in FormatFixtures.inputs {
      encoder.encode(try FormatFixtures.event(input.name, stream: input.stream), into: &output)
    }
    let lines = output.split(separator: 0x0A, omittingEmptySubsequences: false)
    #expect(lines.count == FormatFixtures.inputs.count + 1)
    #expect(lines.last?.isEmpty == true)
    for line in lines.dropLast() { #expect((try? JSONDocument(bytes: Array(line))) != nil) }
  }

  @Test func rawIsTheAPIsBytesVerbatim() throws {
    for input in FormatFixtures.inputs {
      var output: [UInt8] = []
      RawEncoder().encode(try FormatFixtures.enriched(input.name, stream: input.stream), into: &output)
      #expect(output == (try FormatFixtures.bytes(input.name + ".json")) + [0x0A])
    }
  }
}

@Suite struct RawLineTests {
  /// The API's bytes verbatim, except that a line break between tokens would split an NDJSON line.
  @Test func aRawEventWithLineBreaksStaysOneLine() throws {
    var event = try WireFixtures.event("signin-v1.json", stream: .signInAttempts)
    let original = event.raw
    event.raw = Array(String(decoding: original, as: UTF8.self).replacingOccurrences(of: ",", with: ",\r\n").utf8)
    var output: [UInt8] = []
    RawEncoder().encode(event, into: &output)
    #expect(output.filter { $0 == 0x0A }.count == 1)
    #expect(output.last == 0x0A)
    #expect(try JSONDocument(bytes: Array(output.dropLast())).root["uuid"]?.string == event.uuid)
    var plain: [UInt8] = []
    event.raw = original
    RawEncoder().encode(event, into: &plain)
    #expect(plain == original + [0x0A], "bytes without line breaks pass through untouched")
  }
}
