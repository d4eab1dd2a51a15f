import Foundation
import Testing
import VigilBase
import VigilConfig
import VigilCore
import VigilRuntime
import VigilTestSupport

@Suite struct TokenFileTests {
  @Test func aHugeOrSpecialTokenFileIsRefusedUnread() throws {
    let directory = try TemporaryDirectory()
    let big = directory.path + "/big.jwt"
    try AtomicFile.write(String(repeating: "a", count: 20_000), to: big, mode: 0o600)
    #expect {
      _ = try TokenSource.read(.file(big))
    } throws: { error in
      "\(error)".contains("holds 20000 bytes") && !"\(error)".contains("aaaa")
    }
    #expect {
      _ = try TokenSource.read(.file("/dev/zero"))
    } throws: { error in
      "\(error)".contains("not a regular file")
    }
  }

  /// A token pasted where the path or the variable name belongs is not repeated by the error.
  @Test(arguments: [
    "eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ2aWdpbCJ9.c2lnbmF0dXJlLXNlY3JldA",
    "/etc/vigil/eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJ2aWdpbCJ9.c2lnbmF0dXJlLXNlY3JldA\n",
  ])
  func aTokenInPlaceOfAPathOrNameIsRedacted(value: String) throws {
    let secret = "c2lnbmF0dXJlLXNlY3JldA"
    for location in [AccountConfiguration.TokenLocation.file(value), .environment(value)] {
      #expect {
        _ = try TokenSource.read(location)
      } throws: { error in
        "\(error)".contains("not the token itself") && !"\(error)".contains(secret)
      }
      #expect(!location.description.contains(secret))
    }
    // Ordinary paths and names are shown as written.
    #expect(TokenLookalike.shown("/etc/vigil/acme.token") == "/etc/vigil/acme.token")
    #expect(TokenLookalike.shown("ACME_EVENTS_TOKEN") == "ACME_EVENTS_TOKEN")
  }

  @Test func aTokenFileOthersCanReadIsWarnedAbout() throws {
    let directory = try TemporaryDirectory()
    let path = directory.path + "/acme.jwt"
    try AtomicFile.write("x\n", to: path, mode: 0o644)
    #expect(TokenSource.exposure(.file(path))?.contains("chmod 600 \(path)") == true)
    try AtomicFile.write("x\n", to: path, mode: 0o600)
    #expect(TokenSource.exposure(.file(path)) == nil)
    #expect(TokenSource.exposure(.environment("ACME_TOKEN")) == nil)
  }
}

@Suite struct StoreFilesTests {
  /// Events hold emails and addresses: a new data directory is 0700 and the database files 0600.
  @Test func aNewStoreIsPrivate() async throws {
    let directory = try TemporaryDirectory()
    let data = directory.path + "/data"
    let opened = try await StoreOpener.open(.sqlite(path: data + "/vigil.db"))
    _ = try await opened.store.newestSequence()
    opened.close()
    func mode(_ path: String) throws -> Int? {
      (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue
    }
    #expect(try mode(data) == 0o700)
    #expect(try mode(data + "/vigil.db") == 0o600)
    for file in try FileManager.default.contentsOfDirectory(atPath: data) {
      #expect(try mode(data + "/" + file) == 0o600, "\(file)")
    }
  }
}
