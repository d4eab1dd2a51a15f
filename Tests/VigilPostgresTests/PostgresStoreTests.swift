import Synchronization
import Testing
import VigilBase
import VigilCore
import VigilEventsAPIModel
import VigilPostgres
import VigilTestSupport

/// What the PostgreSQL store adds to the shared contract: several writers at once, month partitions,
/// and text that PostgreSQL cannot hold.
@Suite struct PostgresStoreTests {
  struct WritersDidNotFinish: Error {}

  /// How many writers have finished.
  final class Finished: Sendable {
    let count = Atomic<Int>(0)
  }

  /// Three writers (each its own connection pool, as separate processes are) commit at once while a
  /// tailer reads the log by sequence as detection and sinks do. Sequence order must be commit order:
  /// the tailer never sees a number appear behind the position it already passed.
  @Test func aTailerMissesNothingWhileSeveralWritersCommit() async throws {
    let settings = try await PostgresTestDatabase.make()
    let tailer = try await PostgresEventStore(settings)
    let events = SampleEvents.of(.signInAttempts)
    try #require(events.count >= 100)
    let writers = 3
    let batches = 15
    let perBatch = 4
    let done = Finished()
    let seen = try await withThrowingTaskGroup(of: [Int64].self) { group in
      for writer in 0..<writers {
        group.addTask {
          let store = try await PostgresEventStore(settings)
          for batch in 0..<batches {
            let slice = events.prefix(batches * perBatch).dropFirst(batch * perBatch).prefix(perBatch).map {
              var event = $0
              event.account = "writer-\(writer)"
              return event
            }
            let key = StreamKey(account: "writer-\(writer)", stream: .signInAttempts)
            _ = try await store.commit(
              IngestBatch(key: key, events: slice, cursor: "c\(batch)", caughtUp: false, at: SampleEvents.now))
          }
          done.count.add(1, ordering: .releasing)
          store.close()
          return []
        }
      }
      group.addTask {
        var position: Int64 = 0
        var sequences: [Int64] = []
        // Bounded: a writer that never finishes fails the test instead of spinning here for ever.
        let deadline = ContinuousClock.now + .seconds(300)
        while true {
          try Task.checkCancellation()
          guard ContinuousClock.now < deadline else { throw WritersDidNotFinish() }
          let finished = done.count.load(ordering: .acquiring) == writers
          let page = try await tailer.events(after: position, limit: 7)
          sequences += page.map(\.sequence)
          position = page.last?.sequence ?? position
          if page.isEmpty {
            if finished { return sequences }
            try await Task.sleep(for: .milliseconds(5))
          }
        }
      }
      var all: [Int64] = []
      for try await part in group { all += part }
      return all
    }
    #expect(seen == seen.sorted() && Set(seen).count == seen.count)
    let stored = try await tailer.events(after: 0, limit: .max).map(\.sequence)
    #expect(stored.count == writers * batches * perBatch)
    #expect(seen == stored, "the tailer saw \(seen.count) of \(stored.count) events")
  }

  /// Events of three months go to three month tables; retention drops the old months whole once the
  /// consumer has processed them, and keeps the month a consumer still needs.
  @Test func retentionDropsWholeMonths() async throws {
    let store = try await PostgresEventStore(PostgresTestDatabase.make())
    let base = try #require(SampleEvents.of(.signInAttempts).first)
    let months = ["2026-08-10T12:00:00Z", "2026-09-10T12:00:00Z", "2026-10-10T12:00:00Z", "2026-11-03T12:00:00Z"]
    var events: [CanonicalEvent] = []
    for (index, time) in months.enumerated() {
      for copy in 0..<3 {
        var event = base
        event.uuid = "m\(index)-\(copy)"
        event.time = Timestamp.fixture(time)
        events.append(event)
      }
    }
    let key = StreamKey(account: "acme", stream: .signInAttempts)
    _ = try await store.commit(IngestBatch(key: key, events: events, cursor: "c", caughtUp: true, at: SampleEvents.now))
    #expect(try await store.monthTables(.signInAttempts).count == 4)
    // The consumer has processed the first two months only.
    try await store.saveCheckpoint("rules", sequence: 6, at: SampleEvents.now)
    let report = try await store.applyRetention(
      RetentionPolicy(days: 40), now: SampleEvents.now, force: false)
    // The cutoff (40 days before 2026-11-04) falls in September: August is dropped whole, September's
    // early rows deleted; October and November stay.
    let entry = try #require(report.entries.first { $0.stream == .signInAttempts })
    #expect(entry.deleted == 6)
    #expect(
      try await store.monthTables(.signInAttempts) == [
        "events_signinattempts_y2026m09", "events_signinattempts_y2026m10", "events_signinattempts_y2026m11",
      ])
    #expect(try await store.uuids(key).count == 6)
    // A later event of a dropped month comes back: its month is made again.
    var late = base
    late.uuid = "late"
    late.time = Timestamp.fixture("2026-08-20T00:00:00Z")
    #expect(
      try await store.commit(IngestBatch(key: key, events: [late], cursor: nil, caughtUp: true, at: SampleEvents.now))
        .inserted == 1)
    #expect(try await store.monthTables(.signInAttempts).count == 4)
  }

  /// PostgreSQL text cannot hold NUL: the column gets U+FFFD, the raw JSON keeps the original bytes,
  /// and the event reads back whole.
  @Test func aNULInAValueIsStoredAndTheRawEventKept() async throws {
    let store = try await PostgresEventStore(PostgresTestDatabase.make())
    let line =
      #"{"uuid":"nul-1","timestamp":"2026-11-01T10:15:00Z","category":"success","type":"mfa_ok","target_user":{"name":"a\u0000b","email":"x@example.com"}}"#
    let event = try #require(
      Normalizer.normalize(
        raw: Array(line.utf8), account: "acme", stream: .signInAttempts, ingestedAt: SampleEvents.now))
    let key = StreamKey(account: "acme", stream: .signInAttempts)
    #expect(
      try await store.commit(IngestBatch(key: key, events: [event], cursor: nil, caughtUp: true, at: SampleEvents.now))
        .inserted == 1)
    let stored = try #require(try await store.events(after: 0, limit: 10).first?.event)
    #expect(stored.raw == event.raw)
    #expect(stored == event)
  }
}
