import Foundation
import Testing
import VigilRuntime
import VigilTestSupport

@testable import VigilCLI

/// After `swift run vigil demo` no `vigil` is on the PATH: the demo's hints must run as printed.
@Suite struct DemoHintTests {
  @Test func hintsNameThisBinaryByItsPathWhenThePathDoesNotFindIt() throws {
    let invocation = DemoCommand.invocation()
    // The test runner is not `vigil`, and no `vigil` on this PATH is this binary: a full path it is.
    #expect(invocation.hasPrefix("/") || invocation.hasPrefix("'/"), "\(invocation)")
    #expect(invocation != "vigil")
  }

  @Test(arguments: [
    ("/work/main/.build/debug/vigil", "/work/main/.build/debug/vigil"),
    ("/tmp/my demo/vigil.yaml", "'/tmp/my demo/vigil.yaml'"),
    ("/tmp/it's", "'/tmp/it'\\''s'"),
    ("/tmp/$(rm -rf)", "'/tmp/$(rm -rf)'"),
  ])
  func shellWordsSurviveAPaste(text: String, quoted: String) {
    #expect(Shell.quote(text) == quoted)
  }
}

@Suite struct DemoDirectoryTests {
  @Test func aNewDirectoryIsCreatedPrivateAndAUsedOneIsRefused() throws {
    let parent = try TemporaryDirectory()
    let fresh = parent.path + "/demo"
    #expect(try DemoCommand.prepare(fresh) == fresh)
    let mode = try FileManager.default.attributesOfItem(atPath: fresh)[.posixPermissions] as? NSNumber
    #expect(mode?.intValue == 0o700)
    // Empty and ours: accepted as it is.
    #expect(try DemoCommand.prepare(fresh) == fresh)
    _ = FileManager.default.createFile(atPath: fresh + "/vigil.db", contents: Data())
    #expect(throws: UserError.self) { try DemoCommand.prepare(fresh) }
    _ = FileManager.default.createFile(atPath: parent.path + "/file", contents: Data())
    #expect(throws: UserError.self) { try DemoCommand.prepare(parent.path + "/file") }
  }

  @Test func theDefaultDirectoryIsPrivateAndUnpredictable() throws {
    let first = try DemoCommand.privateDirectory()
    let second = try DemoCommand.privateDirectory()
    defer {
      try? FileManager.default.removeItem(atPath: first)
      try? FileManager.default.removeItem(atPath: second)
    }
    #expect(first != second)
    let mode = try FileManager.default.attributesOfItem(atPath: first)[.posixPermissions] as? NSNumber
    #expect(mode?.intValue == 0o700)
  }
}
