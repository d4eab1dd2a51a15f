import Foundation

/// Fixtures live next to the tests in the source tree; tests read them from there.
enum Fixtures {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

  static func bytes(_ relativePath: String) throws -> [UInt8] {
    Array(try Data(contentsOf: directory.appendingPathComponent(relativePath)))
  }
}
