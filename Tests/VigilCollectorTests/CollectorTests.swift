import Foundation
import Synchronization
import Testing
import VigilBase
import VigilCollector
import VigilCore
import VigilEmulator
import VigilEmulatorCore
import VigilEventsAPI
import VigilEventsAPIModel
import VigilTestSupport

@Suite struct CollectorTests {
  /// Faults the issue names, each of which must still end in the exact ground truth.
  enum Trouble: String, CaseIterable, Sendable {
    case lateInsertion, serverErrors, everyFault, emptyPages, repeatedCursors, rateLimitStorm
  }

  /// The faults each trouble injects; a typo in a spec fails the test instead of running fault-free.
  static func faults(_ trouble: Trouble) throws -> FaultPlan {
    switch trouble {
    case .serverErrors: try FaultPlan(spec: "500=0.15,502=0.1,503=0.1,504=0.1")
    case .everyFault:
      try FaultPlan(
        spec: "500=0.08,502=0.08,503=0.08,504=0.08,slow=0.05,reset=0.08,truncate=0.08,invalid=0.08,empty=0.08")
    case .emptyPages: try FaultPlan(spec: "empty=0.5")
    case .lateInsertion, .repeatedCursors, .rateLimitStorm: FaultPlan()
    }
  }

  @Test(arguments: Trouble.allCases) func everyEventOnceWhateverTheAPIDoes(trouble: Trouble) async throws {
    let plan = try Self.faults(trouble)
    try await withCollectorHarness(configure: {
      $0.faults = plan
      if trouble == .rateLimitStorm {
        $0.users = 80
        $0.limits = RateLimits(perMinute: 2, perHour: 8)
        $0.sendRetryAfter = false
      }
    }) { harness in
      // The client believes the real limits: the emulator's tighter ones cause a storm of 429s.
      let (account, _) = try harness.account()
      // Several rounds with time moving on between them: new events, and late ones inserted behind
      // the cursor with timestamps older than what was already read.
      for round in 0..<4 {
        let outcomes = await harness.collector([account]).collect()
        #expect(outcomes.values.allSatisfy { $0 == .caughtUp }, "round \(round): \(outcomes)")
        if trouble == .repeatedCursors { harness.engine.invalidateCursors() }
        harness.clock.advance(seconds: trouble == .lateInsertion ? 9 * 3600 : 3600)
      }
      let last = await harness.collector([account]).collect()
      #expect(last.values.allSatisfy { $0 == .caughtUp }, "\(last)")
      try await harness.expectExact()
      // The token's budget was recorded for the health page, as this client counted it.
      let rates = try await harness.store.rateStatuses()
      #expect(rates.map(\.account) == [account.name])
      #expect(rates.allSatisfy { $0.usedLastHour > 0 && $0.limitPerHour == RateLimits.eventsAPI.perHour })
      // The trouble really happened: every injected kind shows in the emulator's own counts.
      let stats = harness.engine.stats
      for kind in plan.rates.keys {
        #expect(stats.faults[kind.rawValue, default: 0] > 0, "fault \(kind.rawValue) was never injected")
      }
      switch trouble {
      case .rateLimitStorm: #expect(stats.rateLimited > 0, "no request was throttled")
      case .repeatedCursors: #expect(stats.badRequests > 0, "no stale cursor was refused")
      case .lateInsertion:
        let late = harness.engine.allEvents(stream: .itemUsages).filter {
          $0.insertedAt.seconds - $0.timestamp.seconds > 3600
        }
        #expect(!late.isEmpty, "no event was inserted late")
      default: break
      }
    }
  }

  @Test func aRevokedAccountStopsAloneAndSaysWhy() async throws {
    try await withCollectorHarness(configure: { $0.accounts = 2 }) { harness in
      let accounts = harness.engine.accounts
      let (good, _) = try harness.account("good", emulatorAccount: accounts[0].uuid)
      let (bad, badToken) = try harness.account("bad", emulatorAccount: accounts[1].uuid, streams: [.itemUsages])
      let engine = harness.engine
      let revoked = Mutex(false)
      // One page per commit, so that a report marks the end of each page.
      let collector = harness.collector([good, bad], eventsPerCommit: 1) { report in
        guard report.key.account == "bad" else { return }
        // Mid-run: after the bad account's first page.
        if revoked.withLock({ done in
          defer { done = true }; return !done
        }) {
          _ = engine.revoke(badToken)
        }
      }
      let outcomes = await collector.collect()
      for stream in EventStream.allCases { #expect(outcomes[StreamKey(account: "good", stream: stream)] == .caughtUp) }
      let badKey = StreamKey(account: "bad", stream: .itemUsages)
      guard case .failed(let reason) = outcomes[badKey] else {
        Issue.record("the revoked account should have failed: \(String(describing: outcomes[badKey]))")
        return
      }
      #expect(reason.contains("refused the token"))
      try await harness.expectExact(account: "good", emulatorAccount: accounts[0].uuid)
      let state = try #require(try await harness.store.streamState(badKey))
      #expect(state.isFailing)
      #expect(state.lastError?.contains("issue a new token") == true)
      #expect(state.eventsStored > 0)
    }
  }

  /// A server that answers every page with garbage: the collector tells it from a network fault,
  /// keeps the body for diagnosis, says where, and gives up within a minute in `--until-caught-up`.
  @Test func aPageThatIsNeverAPageIsQuarantinedAndGivenUpOnQuickly() async throws {
    try await withCollectorHarness(configure: { $0.faults = try FaultPlan(spec: "invalid=1") }) { harness in
      let (account, _) = try harness.account(streams: [.auditEvents], malformedAttempts: 3)
      let started = harness.clock.now
      let outcomes = await harness.collector([account]).collect()
      let key = StreamKey(account: "acme", stream: .auditEvents)
      guard case .failed(let reason) = outcomes[key] else {
        Issue.record("expected a failure, got \(String(describing: outcomes[key]))")
        return
      }
      #expect(harness.engine.stats.faults["invalid", default: 0] >= 3, "the fault was not injected")
      // On the test's clock: three rounds of three attempts and their backoff, far from 24 attempts.
      #expect(harness.clock.now.epochSeconds - started.epochSeconds < 60)
      #expect(reason.contains("not a page"), "\(reason)")
      #expect(!reason.contains("check the URL"), "\(reason)")
      let path = harness.directory + "/quarantine/acme-auditevents.body"
      #expect(reason.contains(path), "\(reason)")
      let kept = try Data(contentsOf: URL(fileURLWithPath: path))
      #expect(kept.starts(with: Array(#"{"items":[{"uuid":"#.utf8)))
      let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber
      #expect(mode?.intValue == 0o600)
      // The stream is marked failing with the same message, for `vigil status`.
      let state = try #require(try await harness.store.streamState(key))
      #expect(state.isFailing)
      #expect(state.lastError == reason)
    }
  }

  /// While behind, pages are committed together (one transaction for many pages); one page per
  /// commit when told so. Either way every event is stored once.
  @Test(arguments: [1, 100_000]) func pagesAreCommittedTogetherWhileBehind(eventsPerCommit: Int) async throws {
    try await withCollectorHarness(configure: { $0.users = 120 }) { harness in
      let (account, _) = try harness.account(streams: [.itemUsages])
      let truth = harness.engine.groundTruth(stream: .itemUsages).count
      #expect(truth > 2000, "the stream must span several pages of 1000")
      let commits = Mutex<[Int]>([])
      let collector = harness.collector([account], eventsPerCommit: eventsPerCommit) { report in
        commits.withLock { $0.append(report.inserted) }
      }
      #expect(await collector.collect()[StreamKey(account: "acme", stream: .itemUsages)] == .caughtUp)
      let inserted = commits.withLock { $0 }
      #expect(inserted.reduce(0, +) == truth)
      let pages = (truth + 999) / 1000
      if eventsPerCommit == 1 {
        #expect(inserted.count >= pages, "\(inserted)")
      } else {
        #expect(inserted.count == 1, "\(inserted)")
      }
      let stored = try await harness.store.uuids(StreamKey(account: "acme", stream: .itemUsages))
      #expect(stored.count == truth)
    }
  }

  @Test func storeFailuresLoseNothing() async throws {
    let memory = InMemoryEventStore()
    try await withCollectorHarness(store: memory) { harness in
      let (account, _) = try harness.account()
      await memory.failCommits(with: .full(path: "memory"))
      let failed = await harness.collector([account]).collect()
      #expect(
        failed.values.allSatisfy {
          $0 == .failed("cannot store events: " + StoreError.full(path: "memory").description)
        })
      #expect(await memory.newestSequence() == 0)
      #expect(await memory.streamState(StreamKey(account: "acme", stream: .signInAttempts))?.cursor == nil)
      await memory.failCommits(with: nil)
      let outcomes = await harness.collector([account]).collect()
      #expect(outcomes.values.allSatisfy { $0 == .caughtUp })
      try await harness.expectExact()
    }
  }

  @Test func backfillReadsAgainWithoutDuplicatesAndLeavesTheLiveCursor() async throws {
    try await withCollectorHarness { harness in
      let (account, _) = try harness.account()
      _ = await harness.collector([account]).collect()
      let before = try await harness.store.streamStates()
      let inserted = Mutex(0)
      let duplicates = Mutex(0)
      let outcomes = await harness.collector([account], keepCursor: true) { report in
        inserted.withLock { $0 += report.inserted }
        duplicates.withLock { $0 += report.duplicates }
      }.collect()
      #expect(outcomes.values.allSatisfy { $0 == .caughtUp })
      #expect(inserted.withLock { $0 } == 0)
      #expect(duplicates.withLock { $0 } > 1000)
      let after = try await harness.store.streamStates()
      #expect(after.map(\.cursor) == before.map(\.cursor))
      try await harness.expectExact()
    }
  }

  @Test func aGracefulStopFinishesThePageInHandAndResumes() async throws {
    try await withCollectorHarness { harness in
      let (account, _) = try harness.account()
      let reported = Mutex(0)
      let control = Mutex<CollectorControl?>(nil)
      // Not `untilCaughtUp`: only the stop ends this run.
      let collector = harness.collector([account], untilCaughtUp: false) { report in
        if reported.withLock({ count in
          count += report.inserted
          return count > 0
        }) {
          control.withLock { $0 }?.stop()
        }
      }
      control.withLock { $0 = collector.control }
      let outcomes = await collector.collect()
      #expect(outcomes.count == 3)
      #expect(outcomes.values.allSatisfy { $0 == .stopped })
      // Every page reported was committed with its cursor.
      var stored = 0
      for stream in EventStream.allCases {
        stored += try await harness.store.uuids(StreamKey(account: "acme", stream: stream)).count
      }
      #expect(stored == reported.withLock { $0 })
      _ = await harness.collector([account]).collect()
      try await harness.expectExact()
    }
  }

  /// `vigil collect --until-caught-up` beside a `vigil run` that holds a stream: the stream counts as
  /// done once the other worker records it caught up after this run began, not before, and this run
  /// never collects it.
  @Test(.timeLimit(.minutes(10))) func aStreamAnotherWorkerHoldsIsDoneWhenThatWorkerCatchesItUp() async throws {
    try await withCollectorHarness { harness in
      let leases: any LeaseStore = harness.store
      let (account, _) = try harness.account(streams: [.signInAttempts])
      let key = StreamKey(account: account.name, stream: .signInAttempts)
      let other = try #require(
        try await leases.acquireLease(LeaseUnit.collect(key), holder: "other-host:1", seconds: 3600))
      var earlier = IngestBatch(key: key, events: [], cursor: nil, caughtUp: true, at: harness.clock.now)
      earlier.claim = other
      _ = try await harness.store.commit(earlier)
      harness.clock.advance(seconds: 60)
      let collector = harness.collector(
        [account], leasing: CollectorLeasing(store: leases, holder: "this-host:2", seconds: 3),
        clock: PacedClock(manual: harness.clock))
      try await withThrowingTaskGroup(of: [StreamKey: StreamOutcome].self) { group in
        group.addTask { await collector.collect() }
        // Caught up before this run began: it keeps waiting for the lease. Only its waits move the
        // clock (1 s each, a third of the lease, with a look at the stream's state after each), so
        // 3 s show that it looked twice and went on waiting. (A fixed real-time pause would not: on
        // a loaded machine the run may not have begun yet.)
        let before = harness.clock.now
        let deadline = ContinuousClock.now + .seconds(300)
        while harness.clock.now.epochSeconds - before.epochSeconds < 3, ContinuousClock.now < deadline {
          try await Task.sleep(for: .milliseconds(20))
        }
        try #require(
          harness.clock.now.epochSeconds - before.epochSeconds >= 3, "the run stopped waiting for the lease")
        var later = IngestBatch(key: key, events: [], cursor: nil, caughtUp: true, at: harness.clock.now)
        later.claim = other
        _ = try await harness.store.commit(later)
        let outcomes = try await group.next()
        #expect(outcomes == [key: .caughtUp])
      }
      #expect(try await harness.store.eventCount(key) == 0)
      #expect(try await leases.leases().map(\.holder) == ["other-host:1"])
    }
  }
}
