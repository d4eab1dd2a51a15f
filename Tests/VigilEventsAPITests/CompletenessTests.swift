import Testing
import VigilBase
import VigilEmulator
import VigilEmulatorCore
import VigilEventsAPI
import VigilEventsAPIModel
import VigilTestSupport

@Suite struct CompletenessTests {
  /// The bar: a 30-day, 200-user organisation pulls completely, no loss, no duplicates, and no
  /// request over the budget (the emulator enforces the real limits and saw no 429).
  @Test func thirtyDayOrganisationPullsCompletelyOnce() async throws {
    try await withEmulatorHarness(configure: {
      $0.users = 200
      $0.days = 30
    }) { harness in
      let client = try harness.client(try harness.token())
      var total = 0
      for stream in EventStream.allCases {
        let (uuids, _) = try await EmulatorHarness.pullAll(client, stream)
        let truth = harness.engine.groundTruth(stream: stream)
        expectExact(uuids, truth, "\(stream)")
        total += uuids.count
      }
      #expect(total > 50_000)
      let stats = harness.engine.stats
      #expect(stats.rateLimited == 0)
      #expect(stats.badRequests == 0)
    }
  }

  @Test func lateEventsArriveBehindTheCursorAndTimestampResumingWouldLoseThem() async throws {
    try await withEmulatorHarness(configure: { $0.users = 30 }) { harness in
      let client = try harness.client(try harness.token())
      var (first, reader) = try await EmulatorHarness.pullAll(client, .itemUsages)
      let newestSeen = reader.newestTimestamp
      harness.clock.advance(seconds: 86_400)
      let (second, _) = try await EmulatorHarness.pullAll(client, .itemUsages, reader: reader)
      first += second
      expectExact(first, harness.engine.groundTruth(stream: .itemUsages), "item usages")
      // Events of the second pull that are older than what the first pull had already seen: a client
      // resuming from the newest timestamp would never have asked for them.
      let late = harness.engine.allEvents(stream: .itemUsages).filter { event in
        second.contains(event.uuid) && newestSeen.map { event.timestamp < $0 } ?? false
      }
      #expect(late.count > 10)
      // The reader continued from its stored cursor, never from a timestamp.
      #expect(reader.cursorResets == 0)
    }
  }

  @Test func scenarioEventsAreServedAndKnownAsGroundTruth() async throws {
    try await withEmulatorHarness { harness in
      let client = try harness.client(try harness.token())
      var all = Set<String>()
      for stream in EventStream.allCases { all.formUnion(try await EmulatorHarness.pullAll(client, stream).uuids) }
      let scenarios = harness.engine.scenarios
      #expect(scenarios.count == ScenarioName.attacks.count)
      for scenario in scenarios {
        let visible = scenario.events.filter { $0.insertedAt <= harness.engine.now }
        #expect(!visible.isEmpty, "\(scenario.name) has no visible events")
        #expect(visible.allSatisfy { all.contains($0.uuid) }, "\(scenario.name) events missing")
      }
    }
  }

  @Test func mspAccountsCarryExternalUsersAndAccountFields() async throws {
    try await withEmulatorHarness(configure: { $0.accounts = 2 }) { harness in
      let accounts = harness.engine.accounts
      let client = try harness.client(try harness.token(account: accounts[1].uuid))
      var reader = StreamReader(
        client: client, stream: .auditEvents, startTime: Timestamp(rfc3339: "2020-01-01T00:00:00Z"))
      var actorTypes = Set<String>()
      var accountUUIDs = Set<String>()
      while true {
        let (page, caughtUp) = try await reader.next()
        for item in page.items {
          guard case .auditEvent(let event) = item.event else { continue }
          actorTypes.insert(event.actorType ?? "")
          accountUUIDs.insert(event.accountUUID ?? "")
          if event.actorType == "external_user" { #expect(event.actorAccountUUID == accounts[0].uuid) }
        }
        if caughtUp { break }
      }
      #expect(actorTypes.contains("external_user"))
      #expect(accountUUIDs == [accounts[1].uuid])
    }
  }
}
