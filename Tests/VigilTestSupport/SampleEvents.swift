import Foundation
import VigilBase
import VigilCore
import VigilEmulatorCore
import VigilEventsAPIModel
import VigilJSON

/// A fresh directory for one test (tests run in parallel), removed when the value goes away, whether
/// the test returned or threw.
package struct TemporaryDirectory: ~Copyable {
  package let path: String

  package init(_ prefix: String = "vigil-test") throws {
    path =
      FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UInt64.random(in: 0...UInt64.max))")
      .path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// Events from the emulator's synthetic organisation, normalized as the collector would.
package enum SampleEvents {
  package static let now = Timestamp.fixture("2026-11-04T18:00:00Z")

  package static let all: [CanonicalEvent] = generate(users: 25, days: 3) { _ in "acme" }

  /// The emulator's organisation over `days` up to ``now``, each event in the account `account` names.
  package static func generate(users: Int, days: Int, account: (EventStream) -> String) -> [CanonicalEvent] {
    var options = EmulatorOptions()
    options.users = users
    options.days = days
    guard let engine = try? EmulatorEngine(options: options, clock: ManualClock(start: now)) else {
      preconditionFailure("the emulator cannot build its organisation")
    }
    var events: [CanonicalEvent] = []
    for stream in EventStream.allCases {
      for emulated in engine.allEvents(stream: stream) where emulated.insertedAt <= now {
        var writer = JSONWriter(capacity: 512)
        WireEncoder(version: .v2).encode(emulated.event, into: &writer)
        if let event = Normalizer.normalize(
          raw: writer.bytes, account: account(stream), stream: stream, ingestedAt: now)
        {
          events.append(event)
        }
      }
    }
    return events
  }

  package static func of(_ stream: EventStream) -> [CanonicalEvent] { all.filter { $0.stream == stream } }
}
