import Foundation
import VigilJSON

enum Fixtures {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

  /// A fixture's bytes, without the trailing newline the file ends with.
  static func bytes(_ name: String) throws -> [UInt8] {
    var bytes = Array(try Data(contentsOf: directory.appendingPathComponent(name)))
    while bytes.last == 0x0A { bytes.removeLast() }
    return bytes
  }

  static func value(_ name: String) throws -> JSONValue { try JSONDocument(bytes: bytes(name)).root }
}
