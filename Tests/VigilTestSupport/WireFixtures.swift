import Foundation
import VigilBase
import VigilCore
import VigilEventsAPIModel
import VigilJSON

/// The Events API payloads the tests share (1Password's published examples and Vigil's own hostile
/// shapes), read from `Fixtures/wire` in the source tree. One copy for every test target.
package enum WireFixtures {
  package static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/wire")

  /// When the fixture events were collected.
  package static let ingested = Timestamp.fixture("2026-11-21T00:00:00Z")

  /// A fixture's bytes, without the trailing newline the file ends with.
  package static func bytes(_ name: String) throws -> [UInt8] {
    var bytes = Array(try Data(contentsOf: directory.appendingPathComponent(name)))
    while bytes.last == 0x0A { bytes.removeLast() }
    return bytes
  }

  package static func value(_ name: String) throws -> JSONValue { try JSONDocument(bytes: bytes(name)).root }

  /// A fixture normalized as the collector would.
  package static func event(_ name: String, stream: EventStream, account: String = "acme") throws -> CanonicalEvent {
    let raw = try bytes(name)
    let document = try JSONDocument(bytes: raw)
    guard let wire = WireEvent(stream: stream, json: document.root) else {
      throw FixtureError("\(name) is not a \(stream.rawValue) event")
    }
    return try Normalizer.normalize(ReceivedEvent(event: wire, raw: raw), account: account, ingestedAt: ingested)
  }
}

/// A fixture that is not what its test says it is.
package struct FixtureError: Error, CustomStringConvertible {
  package var description: String
  package init(_ description: String) { self.description = description }
}
