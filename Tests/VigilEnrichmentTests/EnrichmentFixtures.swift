import Foundation
import VigilTestSupport

enum EnrichmentFixtures {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

  static func bytes(_ path: String) throws -> [UInt8] {
    Array(try Data(contentsOf: directory.appendingPathComponent(path)))
  }

  static func files(in folder: String) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent(folder).path)
      .filter { $0.hasSuffix(".mmdb") }.sorted()
  }
}
