import Foundation
import GRDB
import Testing
import VigilCore
import VigilEventsAPIModel
import VigilSQLite
import VigilTestSupport

/// What only the SQLite store has to get right: the file, its schema, locks and a full disk.
@Suite struct SQLiteStoreTests {
  let key = StreamKey(account: "acme", stream: .itemUsages)

  /// A store at `path` holding `events` and `cursor`, closed again.
  func writeAndClose(_ events: [CanonicalEvent], cursor: String, at path: String) async throws {
    let store = try SQLiteEventStore(path: path)
    _ = try await store.commit(
      IngestBatch(key: key, events: events, cursor: cursor, caughtUp: true, at: SampleEvents.now))
    try store.close()
  }

  @Test func reopeningKeepsEverythingAndTheSchemaIsVersioned() async throws {
    let directory = try TemporaryDirectory()
    let path = directory.path + "/vigil.db"
    let events = SampleEvents.of(.itemUsages)
    try await writeAndClose(events, cursor: "c9", at: path)
    let store = try SQLiteEventStore(path: path)
    #expect(try await store.uuids(key) == events.map(\.uuid))
    #expect(try await store.streamState(key)?.cursor == "c9")
    let queue = try DatabaseQueue(path: path)
    let journal = try await queue.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
    #expect(journal == "wal")
    let migrations = try await queue.read { try String.fetchAll($0, sql: "SELECT identifier FROM grdb_migrations") }
    #expect(migrations == ["v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9", "v10"])
    // Raw JSON is stored byte for byte.
    let raw = try await queue.read { try Data.fetchOne($0, sql: "SELECT raw FROM events ORDER BY sequence LIMIT 1") }
    #expect(raw.map(Array.init) == events.first?.raw)
    try queue.close()
  }

  /// The duplicate check goes through a 64-bit hash of the identity: two events that share the hash
  /// are both kept, and each is still stored once.
  @Test func eventsSharingAnIdentityHashAreBothKept() async throws {
    let directory = try TemporaryDirectory()
    let path = directory.path + "/vigil.db"
    let events = Array(SampleEvents.of(.itemUsages).prefix(2))
    let store = try SQLiteEventStore(path: path)
    let first = IngestBatch(key: key, events: [events[0]], cursor: nil, caughtUp: false, at: SampleEvents.now)
    #expect(try await store.commit(first).inserted == 1)
    // Give the stored event the second one's hash, as a collision would (the first is not committed
    // again: its stored hash is no longer its own).
    let queue = try DatabaseQueue(path: path)
    let hash = EventIdentity.hash(account: events[1].account, stream: events[1].stream.rawValue, uuid: events[1].uuid)
    try await queue.write { try $0.execute(sql: "UPDATE events SET event_identity = ?", arguments: [hash]) }
    try queue.close()
    let second = IngestBatch(key: key, events: [events[1]], cursor: nil, caughtUp: false, at: SampleEvents.now)
    #expect(try await store.commit(second).inserted == 1, "a shared hash hid an event")
    #expect(try await store.commit(second) == CommitResult(inserted: 0, duplicates: 1))
    #expect(try await store.uuids(key) == events.map(\.uuid))
    let sharing = try await DatabaseQueue(path: path).read {
      try Int.fetchOne($0, sql: "SELECT count(*) FROM events WHERE event_identity = ?", arguments: [hash])
    }
    #expect(sharing == 2, "the collision was not set up")
    try store.close()
  }

  /// A store written by the previous version (a text identity index) gets the hash for every stored
  /// event, and the events it already holds are still recognised as duplicates.
  @Test func theIdentityMigrationKeepsDuplicatesOut() async throws {
    let directory = try TemporaryDirectory()
    let path = directory.path + "/vigil.db"
    let events = SampleEvents.of(.itemUsages)
    try await writeAndClose(events, cursor: "c", at: path)
    // Back to version 3's shape.
    let queue = try DatabaseQueue(path: path)
    try await queue.write { db in
      try db.execute(
        sql: """
          DROP INDEX events_event_identity;
          ALTER TABLE events DROP COLUMN event_identity;
          CREATE UNIQUE INDEX events_identity ON events (event_account, event_stream, event_uuid);
          DELETE FROM grdb_migrations WHERE identifier = 'v4';
          """)
    }
    try queue.close()
    let store = try SQLiteEventStore(path: path)
    let again = try await store.commit(
      IngestBatch(key: key, events: events, cursor: "c", caughtUp: true, at: SampleEvents.now))
    #expect(again == CommitResult(inserted: 0, duplicates: events.count))
    let missing = try await DatabaseQueue(path: path).read {
      try Int.fetchOne($0, sql: "SELECT count(*) FROM events WHERE event_identity IS NULL")
    }
    #expect(missing == 0)
    try store.close()
  }

  @Test func aDatabaseFromANewerVigilIsRefused() async throws {
    let directory = try TemporaryDirectory()
    let path = directory.path + "/vigil.db"
    try SQLiteEventStore(path: path).close()
    let queue = try DatabaseQueue(path: path)
    try await queue.write { try $0.execute(sql: "INSERT INTO grdb_migrations VALUES ('v99')") }
    try queue.close()
    #expect(throws: StoreError.newerSchema(path: path, found: 99, supported: 10)) { try SQLiteEventStore(path: path) }
  }

  @Test func aLockedDatabaseIsAClearErrorAndChangesNothing() async throws {
    let directory = try TemporaryDirectory()
    let path = directory.path + "/vigil.db"
    let store = try SQLiteEventStore(path: path, busyTimeout: 0.2)
    let events = SampleEvents.of(.itemUsages)
    _ = try await store.commit(
      IngestBatch(key: key, events: Array(events[0..<5]), cursor: "c1", caughtUp: false, at: SampleEvents.now))
    // Another process holds the write lock.
    let other = try DatabaseQueue(path: path)
    let (locked, release) = AsyncStream.makeStream(of: Void.self)
    let (held, holding) = AsyncStream.makeStream(of: Void.self)
    let holder = Task {
      try await other.writeWithoutTransaction { db in
        try db.execute(sql: "BEGIN IMMEDIATE")
        holding.yield()
        // Keep the lock until the test has seen the error.
        let semaphore = DispatchSemaphore(value: 0)
        Task {
          for await _ in locked { break }
          semaphore.signal()
        }
        semaphore.wait()
        try db.execute(sql: "ROLLBACK")
      }
    }
    for await _ in held { break }
    await #expect(throws: StoreError.locked(path: path)) {
      try await store.commit(
        IngestBatch(key: key, events: Array(events[5..<10]), cursor: "c2", caughtUp: false, at: SampleEvents.now))
    }
    release.yield()
    try await holder.value
    try other.close()
    #expect(try await store.streamState(key)?.cursor == "c1")
    #expect(try await store.uuids(key).count == 5)
    #expect(StoreError.locked(path: path).description.contains("another process"))
  }

  @Test func aFullDiskIsAClearErrorAndChangesNothing() async throws {
    let directory = try TemporaryDirectory()
    let path = directory.path + "/vigil.db"
    let events = SampleEvents.all
    // Small enough that the whole sample does not fit.
    let store = try SQLiteEventStore(path: path, maximumPages: 120)
    var committed = 0
    var failure: StoreError?
    for (index, chunk) in stride(from: 0, to: events.count, by: 200).enumerated() {
      let slice = Array(events[chunk..<min(chunk + 200, events.count)]).map { event -> CanonicalEvent in
        var event = event
        event.account = "acme"
        return event
      }
      let grouped = Dictionary(grouping: slice, by: \.stream)
      do {
        for (stream, group) in grouped {
          _ = try await store.commit(
            IngestBatch(
              key: StreamKey(account: "acme", stream: stream), events: group, cursor: "c\(index)", caughtUp: false,
              at: SampleEvents.now))
          committed += group.count
        }
      } catch {
        failure = error
        break
      }
    }
    #expect(failure == .full(path: path))
    #expect(failure?.description.contains("nothing was lost") == true)
    var stored = 0
    for stream in EventStream.allCases {
      stored += try await store.uuids(StreamKey(account: "acme", stream: stream)).count
    }
    #expect(stored == committed)
  }

  @Test func unopenablePathsSayWhatToCheck() {
    #expect {
      try SQLiteEventStore(path: "/proc/no-such-dir/vigil.db")
    } throws: { error in
      guard let error = error as? StoreError, case .cannotOpen = error else { return false }
      return error.description.contains("writable")
    }
  }
}
