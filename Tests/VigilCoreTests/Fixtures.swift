import EventsAPIModel
import Foundation
import Testing
import VigilCore
import VigilJSON

enum Fixtures {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

  /// A fixture's bytes, without the trailing newline the file ends with.
  static func bytes(_ name: String) throws -> [UInt8] {
    var bytes = Array(try Data(contentsOf: directory.appendingPathComponent(name)))
    while bytes.last == 0x0A { bytes.removeLast() }
    return bytes
  }

  static let ingested = Timestamp(rfc3339: "2026-11-21T00:00:00Z") ?? Timestamp(seconds: 0)

  /// A fixture normalized as the collector would.
  static func event(_ name: String, stream: EventStream, account: String = "acme") throws -> CanonicalEvent {
    let raw = try bytes(name)
    let document = try JSONDocument(bytes: raw)
    let wire = try #require(WireEvent(stream: stream, json: document.root))
    return try Normalizer.normalize(ReceivedEvent(event: wire, raw: raw), account: account, ingestedAt: ingested)
  }
}

extension Timestamp {
  static func at(_ text: String) -> Timestamp { Timestamp(rfc3339: text) ?? Timestamp(seconds: 0) }
}
