import Testing
import VigilBase
import VigilCore
import VigilEventsAPIModel
import VigilPostgres
import VigilRuntime
import VigilSQLite
import VigilTestSupport

/// `vigil migrate`'s copy: a SQLite store into PostgreSQL, whole and resumable.
@Suite struct StoreMigrationTests {
  @Test func aSQLiteStoreArrivesInPostgreSQLWithItsNumbersAndState() async throws {
    let directory = try TemporaryDirectory()
    let source = try SQLiteEventStore(path: directory.path + "/vigil.db")
    try await SearchSample.fill(source)
    let now = SearchSample.now
    try await source.saveCheckpoint("sink:elastic", sequence: 300, at: now)
    let alert = AlertRecord(
      id: "a-1", rule: "signin.brute_force_user", title: "Brute force", severity: .high, group: ["x@example.com"],
      groupFields: ["user.email"], period: 0, first: 1, last: 2, count: 9,
      evidence: [AlertEvidence(sequence: 4, uuid: "u4")], at: now)
    _ = try await source.commitDetection(
      [alert], progress: DetectionProgress(consumer: "detection", state: [1, 2, 3], sequence: 250), at: now)
    _ = try await source.updateStatus("a-1", to: .acknowledged, by: "alice", note: "looking", at: now)
    var sink = SinkStatus(name: "elastic", updatedAt: now)
    sink.delivered = 300
    sink.alertRevision = 1
    try await source.recordSink(sink)

    let destination = try await PostgresEventStore(PostgresTestDatabase.make())
    // An interrupted first run: only the first 1,000 events arrived.
    let first = try await source.events(after: 0, limit: 1_000)
    #expect(try await destination.importEvents(first) == 1_000)
    let pages = Pages()
    let report = try await StoreMigration.run(from: source, to: destination, page: 700, at: now) { done, _ in
      pages.count += done > 0 ? 1 : 0
    }
    #expect(report.copied == SearchSample.events.count - 1_000, "the run continued after the interruption")
    #expect(report.matches)
    #expect(report.counts.count == 3, "acme sign-ins and audit events, beta item usages")
    #expect(pages.count > 2, "progress was reported per page")
    // The log, with its sequence numbers and stored enrichment.
    #expect(try await destination.events(after: 0, limit: .max) == (try await source.events(after: 0, limit: .max)))
    #expect(try await destination.streamStates() == (try await source.streamStates()))
    #expect(try await destination.checkpoints() == (try await source.checkpoints()))
    #expect(try await destination.detectionState("detection")?.state == [1, 2, 3])
    let copied = try #require(try await destination.alert("a-1"))
    #expect(copied == (try await source.alert("a-1")))
    #expect(copied.status == .acknowledged && copied.statusBy == "alice")
    #expect(try await destination.sinkStatuses() == (try await source.sinkStatuses()))
    // Running it again copies nothing and still matches.
    let again = try await StoreMigration.run(from: source, to: destination, at: now)
    #expect(again.copied == 0 && again.skipped == 0 && again.matches)
    // New numbers continue after the copied ones.
    let newest = try await source.newestSequence()
    var late = SearchSample.events[0]
    late.uuid = "after-migration"
    _ = try await destination.commit(
      IngestBatch(
        key: StreamKey(account: late.account, stream: late.stream), events: [late], cursor: nil, caughtUp: true,
        at: now))
    #expect(try await destination.newestSequence() > newest)
    let changed = try #require(try await destination.updateStatus("a-1", to: .closed, by: "bob", note: nil, at: now))
    #expect(changed.revision > copied.revision)
  }

  final class Pages: @unchecked Sendable {
    var count = 0
  }
}
