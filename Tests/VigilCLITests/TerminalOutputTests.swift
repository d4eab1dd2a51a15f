import Foundation
import Testing
import VigilBase
import VigilCore
import VigilEventsAPIModel
import VigilQuery
import VigilTestSupport

@testable import VigilCLI

/// Machine formats can be printed on a terminal too: there, no event field may drive it.
@Suite struct TerminalOutputTests {
  static let hostile = "Mallory\u{1B}]0;owned\u{07}\u{1B}[2J\u{202E}gpj.exe"

  static func render(_ format: ResultWriter.Format, terminal: Bool) throws -> String {
    let directory = try TemporaryDirectory()
    let path = directory.path + "/out"
    _ = FileManager.default.createFile(atPath: path, contents: nil)
    let handle = try #require(FileHandle(forWritingAtPath: path))
    let writer = ResultWriter(
      format: format, columns: [ResultColumn(name: "user.name", type: .text)], output: handle, terminal: terminal)
    writer.write([.string(hostile)])
    writer.finish()
    try handle.close()
    return try String(contentsOfFile: path, encoding: .utf8)
  }

  @Test(arguments: [ResultWriter.Format.csv, .ndjson, .json, .table])
  func everyFormatIsFilteredOnATerminal(format: ResultWriter.Format) throws {
    let shown = try Self.render(format, terminal: true)
    #expect(!shown.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{07}" || $0 == "\u{202E}" }, "\(shown)")
    #expect(shown.contains("Mallory"))
  }

  /// Piped into a file or another program, CSV keeps the value as it was.
  @Test func csvToAPipeKeepsTheValue() throws {
    #expect(try Self.render(.csv, terminal: false).contains(Self.hostile))
  }

  @Test func serverFieldsOfAnIntrospectionAreFiltered() {
    let report = TokenReport.describe(
      Introspection(
        uuid: "T\u{1B}[2J", issuedAt: nil, features: ["signinattempts\u{202E}"], accountUUID: "A\u{9B}31m"),
      endpoint: "http://127.0.0.1:1/api/v2/auth/introspect")
    #expect(!report.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{9B}" || $0 == "\u{202E}" })
    #expect(report.split(separator: "\n").count == 5)
  }
}
