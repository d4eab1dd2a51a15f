import EmulatorCore
import EventsAPIModel
import Foundation
import SQLiteStore
import Testing
import VigilCore
import VigilJSON

/// A temporary directory per test (tests run in parallel).
struct TemporaryDirectory: ~Copyable {
  let path: String

  init() throws {
    path =
      FileManager.default.temporaryDirectory.appendingPathComponent("vigil-store-\(UInt64.random(in: 0...UInt64.max))")
      .path
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// The two implementations of the store contract.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
  case sqlite, memory

  var testDescription: String { rawValue }

  func make(in directory: borrowing TemporaryDirectory) throws -> any EventStore {
    switch self {
    case .sqlite: try SQLiteEventStore(path: directory.path + "/vigil.db")
    case .memory: InMemoryEventStore()
    }
  }
}

/// Events from the emulator's synthetic organisation, normalized as the collector would.
enum SampleEvents {
  static let now = Timestamp(rfc3339: "2026-11-04T18:00:00Z") ?? Timestamp(seconds: 0)

  static let all: [CanonicalEvent] = generate(users: 25, days: 3) { _ in "acme" }

  /// The emulator's organisation over `days` up to ``now``, each event in the account `account` names.
  static func generate(users: Int, days: Int, account: (EventStream) -> String) -> [CanonicalEvent] {
    var options = EmulatorOptions()
    options.users = users
    options.days = days
    guard let engine = try? EmulatorEngine(options: options, clock: ManualClock(start: now)) else { return [] }
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

  static func of(_ stream: EventStream) -> [CanonicalEvent] { all.filter { $0.stream == stream } }
}
