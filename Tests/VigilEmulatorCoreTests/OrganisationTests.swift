import Testing
import VigilBase
import VigilEventsAPIModel
import VigilTestSupport

@testable import VigilEmulatorCore

@Suite struct OrganisationTests {
  static let start = Timestamp.fixture("2026-11-04T18:00:00Z")

  static func engine(_ configure: (inout EmulatorOptions) -> Void = { _ in }) throws -> EmulatorEngine {
    var options = EmulatorOptions()
    options.users = 60
    options.days = 30
    configure(&options)
    return try EmulatorEngine(options: options, clock: ManualClock(start: start))
  }

  @Test func sameSeedSameData() throws {
    let a = try Self.engine().allEvents(stream: .itemUsages).map(\.uuid)
    let b = try Self.engine().allEvents(stream: .itemUsages).map(\.uuid)
    let c = try Self.engine { $0.seed = 2 }.allEvents(stream: .itemUsages).map(\.uuid)
    #expect(a == b)
    #expect(a != c)
  }

  @Test func identifiersLookLikeOnePasswords() throws {
    let events = try Self.engine().allEvents(stream: .signInAttempts)
    let uuids = events.map(\.uuid)
    #expect(uuids.allSatisfy { $0.count == 26 && $0.allSatisfy { $0.isUppercase || ("2"..."7").contains($0) } })
    #expect(Set(uuids.map { $0.last }).count > 10, "the last character must vary")
    #expect(Set(uuids).count == uuids.count)
  }

  @Test func everyDocumentedValueAppearsInAMonth() throws {
    let engine = try Self.engine { $0.users = 200 }
    var categories = Set<SignInCategory>()
    var types = Set<String>()
    for event in engine.allEvents(stream: .signInAttempts) {
      guard case .signInAttempt(let signIn) = event.event else { continue }
      if let category = signIn.category { categories.insert(category) }
      if let type = signIn.type { types.insert(type.rawValue) }
    }
    #expect(categories == Set(SignInCategory.known))
    let missingTypes = Set(SignInType.known.map(\.rawValue)).subtracting(types)
    #expect(missingTypes.isEmpty, "never generated: \(missingTypes.sorted())")
    var actions = Set<ItemUsageAction>()
    for event in engine.allEvents(stream: .itemUsages) {
      if case .itemUsage(let usage) = event.event, let action = usage.action { actions.insert(action) }
    }
    #expect(actions == Set(ItemUsageAction.known))
  }

  @Test func successDominatesAndWeekendsAreQuiet() throws {
    let events = try Self.engine().allEvents(stream: .signInAttempts)
    var successes = 0
    var weekend = 0
    for event in events {
      if case .signInAttempt(let signIn) = event.event, signIn.category?.isSuccess == true { successes += 1 }
      let day = Int(event.timestamp.seconds / 86_400)
      if (day + 4) % 7 == 0 || (day + 4) % 7 == 6 { weekend += 1 }
    }
    #expect(Double(successes) / Double(events.count) > 0.85)
    #expect(Double(weekend) / Double(events.count) < 0.15)
  }

  @Test func insertionFollowsTimestampWithinEachStreamsBounds() throws {
    let engine = try Self.engine()
    let bounds: [EventStream: Double] = [.signInAttempts: 300, .auditEvents: 1800, .itemUsages: 86_400]
    for stream in EventStream.allCases {
      let events = engine.allEvents(stream: stream)
      let delays = events.map { $0.insertedAt.epochSeconds - $0.timestamp.epochSeconds }
      #expect(delays.allSatisfy { $0 >= 0 && $0 <= (bounds[stream] ?? 0) + 1 }, "\(stream)")
      #expect(zip(events, events.dropFirst()).allSatisfy { $0.orderKey < $1.orderKey })
    }
    let usageDelays = engine.allEvents(stream: .itemUsages).map {
      $0.insertedAt.epochSeconds - $0.timestamp.epochSeconds
    }
    #expect(usageDelays.filter { $0 > 3600 }.count > 100, "item usages must include events hours late")
  }

  @Test func scenariosHaveTheirShape() throws {
    let engine = try Self.engine()
    let byName = Dictionary(uniqueKeysWithValues: engine.scenarios.map { ($0.name, $0) })
    #expect(byName.count == ScenarioName.attacks.count)
    #expect(byName[.bruteForce]?.events.count == 25)
    #expect(byName[.massExport]?.events.allSatisfy { $0.stream == .itemUsages } == true)
    guard case .auditEvent(let grant) = byName[.selfGrantedVaultAccess]?.events.first?.event else {
      Issue.record("self-granted access starts with an audit event")
      return
    }
    #expect(grant.action == "grant" && grant.objectType == "uva" && grant.actorUUID == grant.auxUUID)
    guard case .auditEvent(let mfa) = byName[.mfaDisabledAccount]?.events.first?.event else {
      Issue.record("missing")
      return
    }
    #expect(mfa.action == "disblmfa" && mfa.objectType == "account")
    #expect(throws: ScenarioError.unknown("nope")) { try ScenarioName.parse("brute-force,nope") }
    #expect(try ScenarioName.parse("none").isEmpty)
  }
}
