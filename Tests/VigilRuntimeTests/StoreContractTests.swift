import Synchronization
import Testing
import VigilBase
import VigilCore
import VigilEventsAPIModel
import VigilQuery
import VigilRuntime
import VigilTestSupport
import VigilYAML

/// Every store the contract runs against: the runtime's own (as `vigil run` opens them) and the
/// in-memory one. A new store adds a case here and nothing else.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
  case sqlite, memory, postgres

  var testDescription: String { rawValue }

  /// The PostgreSQL store gets its own database on the test server that `scripts/test` starts.
  func make(in directory: borrowing TemporaryDirectory) async throws -> any VigilStore {
    switch self {
    case .sqlite: try await StoreOpener.open(.sqlite(path: directory.path + "/vigil.db")).store
    case .memory: InMemoryEventStore()
    case .postgres: try await StoreOpener.open(.postgres(url: PostgresTestDatabase.make().description)).store
    }
  }
}

/// The contract every store keeps, one suite for every store role, run against every store.
@Suite struct StoreContractTests {
  let key = StreamKey(account: "acme", stream: .signInAttempts)
  let t0 = SampleEvents.now

  func batch(_ events: ArraySlice<CanonicalEvent>, cursor: String?, caughtUp: Bool = false) -> IngestBatch {
    IngestBatch(key: key, events: Array(events), cursor: cursor, caughtUp: caughtUp, at: t0)
  }

  @Test(arguments: StoreKind.allCases) func eventsAreStoredOnceWithTheirCursor(kind: StoreKind) async throws {
    let directory = try TemporaryDirectory()
    let store = try await kind.make(in: directory)
    let events = SampleEvents.of(.signInAttempts)
    try #require(events.count > 100)
    let first = try await store.commit(batch(events[0..<60], cursor: "c1"))
    #expect(first == CommitResult(inserted: 60, duplicates: 0))
    // An overlapping page (a reset, a backfill): only the new events are stored.
    let second = try await store.commit(batch(events[40..<100], cursor: "c2", caughtUp: true))
    #expect(second == CommitResult(inserted: 40, duplicates: 20))
    #expect(try await store.uuids(key) == events[0..<100].map(\.uuid))
    let state = try #require(try await store.streamState(key))
    #expect(state.cursor == "c2")
    #expect(state.eventsStored == 100)
    #expect(state.duplicates == 20)
    #expect(state.caughtUpAt == t0)
    #expect(state.newestEventTime == events[0..<100].map(\.time).max())
    // The same uuid in another account or stream is another event.
    var other = events[0]
    other.account = "beta"
    let otherKey = StreamKey(account: "beta", stream: .signInAttempts)
    let result = try await store.commit(
      IngestBatch(key: otherKey, events: [other], cursor: nil, caughtUp: false, at: t0))
    #expect(result.inserted == 1)
    #expect(try await store.eventCount(key) == 100)
    #expect(try await store.eventCount(otherKey) == 1)
  }

  @Test(arguments: StoreKind.allCases) func aBatchWithoutCursorLeavesTheStoredCursorAlone(kind: StoreKind) async throws
  {
    let directory = try TemporaryDirectory()
    let store = try await kind.make(in: directory)
    let events = SampleEvents.of(.signInAttempts)
    _ = try await store.commit(batch(events[0..<10], cursor: "live"))
    _ = try await store.commit(batch(events[5..<20], cursor: nil))
    #expect(try await store.streamState(key)?.cursor == "live")
    #expect(try await store.uuids(key).count == 20)
  }

  @Test(arguments: StoreKind.allCases) func tailingBySequenceSeesEveryEventOnceInOrder(kind: StoreKind) async throws {
    let directory = try TemporaryDirectory()
    let store = try await kind.make(in: directory)
    let events = SampleEvents.of(.signInAttempts)
    _ = try await store.commit(batch(events[0..<50], cursor: "a"))
    var seen: [CanonicalEvent] = []
    var position: Int64 = try await store.checkpoint("rules") ?? 0
    #expect(position == 0)
    while true {
      let page = try await store.events(after: position, limit: 7)
      if page.isEmpty { break }
      #expect(page.map(\.sequence) == page.map(\.sequence).sorted())
      seen += page.map(\.event)
      position = page.last?.sequence ?? position
      try await store.saveCheckpoint("rules", sequence: position, at: t0)
    }
    #expect(seen.map(\.uuid) == events[0..<50].map(\.uuid))
    // What comes back is the event as normalized at ingest, raw bytes included.
    #expect(seen == Array(events[0..<50]))
    // The raw read gives the same events' identity, time and bytes.
    let raw = try await store.rawEvents(after: 0, limit: 100)
    #expect(raw == (try await store.events(after: 0, limit: 100)).map(RawStoredEvent.init))
    #expect(try await store.rawEvents(after: raw[9].sequence, limit: 3).map(\.sequence) == raw[10..<13].map(\.sequence))
    #expect(try await store.checkpoint("rules") == position)
    #expect(try await store.newestSequence() == position)
  }

  @Test(arguments: StoreKind.allCases) func failuresAreRecordedUntilTheNextSuccess(kind: StoreKind) async throws {
    let directory = try TemporaryDirectory()
    let store = try await kind.make(in: directory)
    try await store.recordError(key, message: "the Events API refused the token", at: t0)
    var state = try #require(try await store.streamState(key))
    #expect(state.isFailing)
    #expect(state.lastError == "the Events API refused the token")
    _ = try await store.commit(
      IngestBatch(key: key, events: [], cursor: "c", caughtUp: true, at: t0.adding(seconds: 1)))
    state = try #require(try await store.streamState(key))
    #expect(!state.isFailing)
    #expect(try await store.streamStates().map(\.key) == [key])
  }

  @Test(arguments: StoreKind.allCases) func eachAccountKeepsItsNewestRequestBudget(kind: StoreKind) async throws {
    let directory = try TemporaryDirectory()
    let store = try await kind.make(in: directory)
    #expect(try await store.rateStatuses().isEmpty)
    let first = RateStatus(
      account: "beta", usedLastMinute: 3, usedLastHour: 40, limitPerMinute: 600, limitPerHour: 30_000,
      serverRemaining: nil, heldUntil: nil, recordedAt: t0)
    let held = RateStatus(
      account: "acme", usedLastMinute: 600, usedLastHour: 29_990, limitPerMinute: 600, limitPerHour: 30_000,
      serverRemaining: 0, heldUntil: t0.adding(seconds: 42), recordedAt: t0.adding(seconds: 1))
    try await store.recordRate(first)
    try await store.recordRate(held)
    var later = first
    later.usedLastMinute = 9
    later.recordedAt = t0.adding(seconds: 5)
    try await store.recordRate(later)
    #expect(try await store.rateStatuses() == [held, later])
  }

  @Test(arguments: StoreKind.allCases) func retentionKeepsWhatAConsumerHasNotProcessedUnlessForced(kind: StoreKind)
    async throws
  {
    let directory = try TemporaryDirectory()
    let store = try await kind.make(in: directory)
    let events = SampleEvents.of(.signInAttempts)
    _ = try await store.commit(batch(events[...], cursor: "c"))
    let times = events.map(\.time).sorted()
    // A one-day policy, applied at a "now" that leaves half the events expired.
    let median = times[times.count / 2]
    let now = median.adding(seconds: 86_400)
    let expired = events.filter { $0.time < median }.count
    let policy = RetentionPolicy(days: 1)
    // With no consumer registered nothing is held back, and the report says so.
    let unguarded = try await store.applyRetention(policy, now: times[0], force: false)
    #expect(unguarded.deleted == 0)
    #expect(unguarded.slowestConsumer == nil)
    #expect(unguarded.consumerNote?.contains("holds nothing back") == true)
    // A consumer that has processed only the first 10 events holds back the rest.
    try await store.saveCheckpoint("sink", sequence: 10, at: t0)
    let held = try await store.applyRetention(policy, now: now, force: false)
    #expect(held.consumerNote == nil)
    let signIns = try #require(held.entries.first { $0.stream == .signInAttempts })
    let expiredAmongFirstTen = events.prefix(10).filter { $0.time < median }.count
    #expect(signIns.deleted == expiredAmongFirstTen)
    #expect(signIns.unprocessed == expired - expiredAmongFirstTen)
    #expect(held.slowestConsumer == "sink")
    #expect(held.warnings.count == (signIns.unprocessed > 0 ? 1 : 0))
    #expect(held.warnings.first?.contains("sink") == true)
    // Forced: everything expired goes, and the report says so loudly.
    let forced = try await store.applyRetention(policy, now: now, force: true)
    #expect(forced.deleted == expired - expiredAmongFirstTen)
    #expect(forced.warnings.first?.hasPrefix("DELETED") == true)
    #expect(try await store.uuids(key).count == events.count - expired)
    #expect(try await store.eventCount(key) == events.count - expired)
    #expect(try await store.streamState(key)?.eventsStored == Int64(events.count - expired))
  }

  @Test(arguments: StoreKind.allCases) func sequenceNumbersAreNeverReused(kind: StoreKind) async throws {
    let directory = try TemporaryDirectory()
    let store = try await kind.make(in: directory)
    let events = SampleEvents.of(.signInAttempts)
    _ = try await store.commit(batch(events[0..<5], cursor: "c"))
    let before = try await store.newestSequence()
    _ = try await store.applyRetention(RetentionPolicy(days: 1), now: t0.adding(seconds: 400 * 86_400), force: true)
    #expect(try await store.uuids(key).isEmpty)
    _ = try await store.commit(batch(events[5..<6], cursor: "d"))
    let after = try await store.events(after: 0, limit: 10)
    #expect(after.map(\.sequence) == [before + 1])
  }

  @Test(arguments: StoreKind.allCases)
  func enrichmentIsStoredAndReadBack(kind: StoreKind) async throws {
    let directory = try TemporaryDirectory()
    let store = try await kind.make(in: directory)
    var events = SampleEvents.generate(users: 10, days: 2) { _ in "acme" }.filter { $0.stream == .signInAttempts }
    let address = try #require(events.compactMap(\.sourceIP).first)
    let enricher = MarkingEnricher(address: address, feed: "first")
    for index in events.indices { enricher.enrich(&events[index]) }
    let key = StreamKey(account: "acme", stream: .signInAttempts)
    _ = try await store.commit(IngestBatch(key: key, events: events, cursor: nil, caughtUp: true, at: SampleEvents.now))
    let stored = try await store.events(after: 0, limit: 100_000).map(\.event)
    #expect(stored.count == events.count)
    #expect(stored == events, "enrichment and filled geo come back as committed")
    #expect(stored.contains { $0.enrichment.threat?.feeds == ["first"] })
  }

  @Test(arguments: StoreKind.allCases)
  func sourceStatusesAreReplacedWhole(kind: StoreKind) async throws {
    let directory = try TemporaryDirectory()
    let store = try await kind.make(in: directory)
    var tor = SourceStatus(name: "tor", kind: "feed (tor)", location: "/x", checkedAt: SampleEvents.now)
    tor.entries = 1200
    tor.problems = ["line 3: bad", "line 9: worse"]
    tor.loadedAt = SampleEvents.now
    var geo = SourceStatus(name: "geoip.city", kind: "mmdb", location: "/y", checkedAt: SampleEvents.now)
    geo.error = "not a MaxMind DB file"
    try await store.recordSources([tor, geo])
    #expect(try await store.sourceStatuses() == [geo, tor])
    try await store.recordSources([tor])
    #expect(try await store.sourceStatuses() == [tor])
  }

  /// The maintenance role's primitives, through the one rescan written above the stores.
  @Test(arguments: StoreKind.allCases) func aRescanUpdatesOnlyEventsWhoseEnrichmentChanged(kind: StoreKind)
    async throws
  {
    let directory = try TemporaryDirectory()
    let store = try await kind.make(in: directory)
    let events = SampleEvents.of(.signInAttempts)
    _ = try await store.commit(batch(events[...], cursor: "c"))
    let withAddress = events.filter { $0.sourceIP != nil }
    let listed = try #require(withAddress.first?.sourceIP)
    let since = try #require(events.map(\.time).min())
    // Small batches: the scan must page by sequence through several rounds.
    let report = try await Rescan.run(
      on: store, since: since, with: MarkingEnricher(address: listed, feed: "test-feed"), batchSize: 7)
    let matching = events.filter { $0.sourceIP == listed }.count
    #expect(report.scanned == events.count)
    #expect(report.changed == matching)
    #expect(report.newThreatMatches == matching)
    let stored = try await store.events(after: 0, limit: .max)
    #expect(stored.filter { $0.event.enrichment.threat?.indicator == listed }.count == matching)
    #expect(stored.filter { $0.event.enrichment.threat?.feeds == ["test-feed"] }.count == matching)
    #expect(stored.filter { $0.event.enrichment.threat != nil }.count == matching)
    // Nothing changes the second time.
    let again = try await Rescan.run(on: store, since: since, with: MarkingEnricher(address: listed, feed: "test-feed"))
    #expect(again.changed == 0)
    // Search sees the new enrichment.
    let plan = try Search.plan("threat.indicator:\"\(listed)\"", now: FieldValue.nanoseconds(t0))
    let found = SearchCounter()
    _ = try await store.events(matching: plan) { _ in
      found.add()
      return true
    }
    #expect(found.value == matching)
  }

  @Test(arguments: StoreKind.allCases) func aUnitHasOneHolderAtATime(kind: StoreKind) async throws {
    let directory = try TemporaryDirectory()
    let store = try await kind.make(in: directory)
    let unit = "collect:acme/signinattempts"
    // Hours: under a loaded test run, a task may wait a long time between two steps.
    let hours = 36_000.0
    let first = try #require(try await store.acquireLease(unit, holder: "host-a", seconds: hours))
    #expect(
      try await store.acquireLease(unit, holder: "host-b", seconds: hours) == nil, "a live lease keeps its holder")
    #expect(try await store.acquireLease(unit, holder: "host-a", seconds: hours) == first, "renewing keeps the epoch")
    // A commit with the live claim goes in.
    var held = batch(SampleEvents.of(.signInAttempts)[0..<3], cursor: "a1")
    held.claim = first
    #expect(try await store.commit(held).inserted == 3)
    // Another unit is free.
    #expect(try await store.acquireLease("detection", holder: "host-b", seconds: hours) != nil)
    try await store.releaseLease(first)
    // A released claim no longer commits.
    var released = batch(SampleEvents.of(.signInAttempts)[3..<6], cursor: "a2")
    released.claim = first
    await #expect(throws: StoreError.leaseLost(unit: unit)) { try await store.commit(released) }
    let second = try #require(try await store.acquireLease(unit, holder: "host-b", seconds: hours))
    #expect(second.epoch > first.epoch)
    let history = try await store.leaseHistory(unit)
    #expect(history.map(\.holder) == ["host-a", "host-b"])
    #expect(history.overlaps.isEmpty)
    #expect(history.last?.until == nil, "the live holder's span is open")
    let leases = try await store.leases()
    #expect(leases.map(\.unit) == ["collect:acme/signinattempts", "detection"])
    #expect(leases.allSatisfy { $0.isLive })
  }

  /// A holder that stalls past its lease loses the unit, and its late commit is refused: the fence
  /// that keeps two collectors from writing one stream.
  @Test(arguments: StoreKind.allCases) func aCommitAfterTheLeaseRanOutIsRefused(kind: StoreKind) async throws {
    let directory = try TemporaryDirectory()
    let store = try await kind.make(in: directory)
    let unit = "collect:acme/signinattempts"
    let events = SampleEvents.of(.signInAttempts)
    _ = try await store.commit(batch(events[0..<5], cursor: "a1"))
    let stalled = try #require(try await store.acquireLease(unit, holder: "host-a", seconds: 0.5))
    try await Task.sleep(for: .milliseconds(1_000))
    let taker = try #require(try await store.acquireLease(unit, holder: "host-b", seconds: 36_000))
    var late = batch(events[5..<10], cursor: "a2")
    late.claim = stalled
    await #expect(throws: StoreError.leaseLost(unit: unit)) { try await store.commit(late) }
    #expect(try await store.streamState(key)?.cursor == "a1", "the refused commit changed nothing")
    var next = batch(events[5..<10], cursor: "b1")
    next.claim = taker
    #expect(try await store.commit(next).inserted == 5)
    let history = try await store.leaseHistory(unit)
    #expect(history.map(\.holder) == ["host-a", "host-b"])
    #expect(history.overlaps.isEmpty, "the stalled holder's span ends when its lease ran out")
  }

  /// Detection's commits and a sink's checkpoint carry the same fence: a holder that stalled past its
  /// lease writes nothing over the new holder's progress.
  @Test(arguments: StoreKind.allCases) func detectionAndSinkProgressIsFencedLikeCommits(kind: StoreKind) async throws {
    let directory = try TemporaryDirectory()
    let store = try await kind.make(in: directory)
    let sink = LeaseUnit.sink("siem")
    let stalledDetection = try #require(
      try await store.acquireLease(LeaseUnit.detection, holder: "host-a", seconds: 0.5))
    let stalledSink = try #require(try await store.acquireLease(sink, holder: "host-a", seconds: 0.5))
    try await Task.sleep(for: .milliseconds(1_000))
    let detection = try #require(try await store.acquireLease(LeaseUnit.detection, holder: "host-b", seconds: 36_000))
    let taker = try #require(try await store.acquireLease(sink, holder: "host-b", seconds: 36_000))
    let alert = AlertRecord(
      id: "a1", rule: "r", title: "t", severity: .high, group: ["acme"], groupFields: [], period: 0, first: 1, last: 2,
      count: 1, evidence: [AlertEvidence(sequence: 1, uuid: "u1")], at: t0)
    let progress = DetectionProgress(consumer: "detection", state: [1, 2, 3], sequence: 7)
    await #expect(throws: StoreError.leaseLost(unit: LeaseUnit.detection)) {
      try await store.commitDetection(
        [alert], progress: progress, notify: ["a1": ["hook"]], at: t0, fence: stalledDetection)
    }
    #expect(try await store.alert("a1") == nil, "the refused commit stored no alert")
    #expect(try await store.detectionState("detection") == nil, "nor the detector's state")
    #expect(try await store.dueNotifications(at: t0, limit: 10).isEmpty, "nor a notification")
    await #expect(throws: StoreError.leaseLost(unit: sink)) {
      try await store.saveCheckpoint("sink:siem", sequence: 40, at: t0, fence: stalledSink)
    }
    #expect(try await store.checkpoint("sink:siem") == nil)
    // The live holders' writes go in.
    #expect(
      try await store.commitDetection([alert], progress: progress, notify: [:], at: t0, fence: detection) == ["a1"])
    #expect(try await store.detectionState("detection")?.sequence == 7)
    try await store.saveCheckpoint("sink:siem", sequence: 40, at: t0, fence: taker)
    #expect(try await store.checkpoint("sink:siem") == 40)
  }

  @Test(arguments: StoreKind.allCases) func exportsStreamWholeEventsOldestFirst(kind: StoreKind) async throws {
    let directory = try TemporaryDirectory()
    let store = try await kind.make(in: directory)
    let events = SampleEvents.of(.auditEvents)
    _ = try await store.commit(
      IngestBatch(
        key: StreamKey(account: "acme", stream: .auditEvents), events: events, cursor: "c", caughtUp: true, at: t0))
    var plan = try Search.plan("audit", now: FieldValue.nanoseconds(t0))
    plan.sort = [
      SortKey(FieldCatalog.time.name, descending: false), SortKey(SearchPlan.sequenceColumn, descending: false),
    ]
    let seen = EventCollector()
    let count = try await store.events(matching: plan) { event in
      seen.add(event)
      return true
    }
    #expect(count == events.count)
    #expect(seen.events.map(\.time) == events.map(\.time).sorted())
    #expect(Set(seen.events.map(\.uuid)) == Set(events.map(\.uuid)))
    #expect(try await !store.explain(plan).isEmpty)
  }
}

final class SearchCounter: Sendable {
  private let count = Mutex(0)
  func add() { count.withLock { $0 += 1 } }
  var value: Int { count.withLock { $0 } }
}

final class EventCollector: Sendable {
  private let collected = Mutex<[CanonicalEvent]>([])
  func add(_ event: CanonicalEvent) { collected.withLock { $0.append(event) } }
  var events: [CanonicalEvent] { collected.withLock { $0 } }
}
