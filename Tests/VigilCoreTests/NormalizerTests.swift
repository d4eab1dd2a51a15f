import Testing
import VigilBase
import VigilCore
import VigilEventsAPIModel
import VigilJSON
import VigilTestSupport

@Suite struct NormalizerTests {
  @Test func signInV1FromTheDocumentation() throws {
    let event = try WireFixtures.event("signin-v1.json", stream: .signInAttempts)
    #expect(event.account == "acme")
    #expect(event.stream == .signInAttempts)
    #expect(event.uuid == "QVWKEOEWXU2DIDHWTK6HGIF4TV")
    #expect(event.time == .fixture("2021-08-11T15:04:22Z"))
    #expect(event.ingestedAt == WireFixtures.ingested)
    #expect(event.outcome == .failure)
    #expect(event.action == "credentials_failed")
    #expect(event.type == "password_secret_bad")
    #expect(event.user.id == "OJQGU46KAPROEJLCK674RHSAY5")
    #expect(event.user.email == "email@1password.com")
    #expect(event.sourceIP == "89.160.20.156")
    // No location object: the top-level country code fills in, with its name.
    #expect(event.geo.countryCode == "AR")
    #expect(event.geo.countryName == "Argentina")
    #expect(event.client.app == "1Password Browser Extension")
    #expect(event.client.os == "Android")
    #expect(event.session.id == "UED4KFZ5BH37IQWTJ7LG4VPWK7")
    #expect(event.details == nil)
    #expect(event.raw == (try WireFixtures.bytes("signin-v1.json")))
  }

  @Test func firewallSignInWithNamesNullsAndUnknownFields() throws {
    let event = try WireFixtures.event("signin-v2-firewall-unknown.json", stream: .signInAttempts)
    #expect(event.outcome == .failure)
    #expect(event.type == "continent_blocked")
    #expect(event.details == "Europe")
    // The offset timestamp keeps its fraction and converts to UTC.
    #expect(event.time == .fixture("2024-05-01T08:00:00.5Z"))
    #expect(event.geo.countryCode == "FR")
    #expect(event.geo.countryName == "France")
    #expect(event.geo.region == nil)
    #expect(event.geo.city == "Paris")
    #expect(event.sourceIP == nil)
    #expect(event.user.name == "Zoë \"Z\" O'Brien")
    #expect(event.user.type == "user")
    #expect(event.accountUUID == "ACCOUNTAAAAAAAAAAAAAAAAAAA")
  }

  @Test func itemUsageResolvesACountryName() throws {
    let event = try WireFixtures.event("itemusage-v1.json", stream: .itemUsages)
    #expect(event.action == "reveal")
    #expect(event.outcome == .success)
    #expect(event.vaultID == "jaqxqf5qylslqiitnduawrndc5")
    #expect(event.itemID == "bvwmmwxisuca7wbehrbyqhag54")
    #expect(event.itemVersion == 1)
    #expect(event.geo.countryCode == "CA")
    #expect(event.geo.countryName == "Canada")
    #expect(event.geo.city == "Toronto")
    #expect(event.geo.latitude == 43.64)
    #expect(event.geo.longitude == -79.433)
    #expect(event.time == .fixture("2021-08-30T18:57:42.484Z"))
  }

  @Test func auditEventsNameActorTargetAuxAndSession() throws {
    let suspend = try WireFixtures.event("audit-v1.json", stream: .auditEvents)
    #expect(suspend.action == "suspend")
    #expect(suspend.user.id == "GLF6WUEKS5CSNDJ2OG6TCZD3M4")
    #expect(suspend.user.email == "test.actor@domain.com")
    #expect(suspend.target.type == "user")
    #expect(suspend.target.id == "ZRQCUD6A65AKHFETOUFO7NL4OM")
    #expect(suspend.sourceIP == "89.160.20.156")
    #expect(suspend.session.deviceID == "rqtd557fn2husnstp5nc66w2xa")
    #expect(suspend.session.loginTime == .fixture("2022-10-24T21:07:34.703106271Z"))
    #expect(suspend.time.nanoseconds == 827_288_935)

    let join = try WireFixtures.event("audit-v2-group-manager.json", stream: .auditEvents)
    #expect(join.action == "join")
    #expect(join.target.type == "gm")
    #expect(join.aux.id == 9_277_034)
    #expect(join.aux.uuid == "K6VFYDCJKHGGDI7QFAXX65LCDY")
    #expect(join.aux.email == "wendy_appleseed@agilebits.com")
    #expect(join.aux.info == "A")
    #expect(join.user.type == "user")
    #expect(join.time == .fixture("2023-03-15T19:33:50Z"))
  }

  @Test func outcomesFollowThePeersAndLeaveUnknownCategoriesOpen() throws {
    for category in SignInCategory.known {
      let event = try signIn(#"{"uuid":"A","timestamp":"2026-01-01T00:00:00Z","category":"\#(category)"}"#)
      #expect(event.outcome == (category.isSuccess ? .success : .failure), "\(category)")
    }
    #expect(try signIn(#"{"uuid":"A","category":"brand_new_category"}"#).outcome == nil)
    #expect(try signIn(#"{"uuid":"A"}"#).outcome == nil)
  }

  @Test func anItemWithoutUUIDIsRejectedAndAMissingTimestampIsTheIngestTime() throws {
    #expect(throws: Normalizer.Rejection.missingUUID) { try signIn(#"{"category":"success"}"#) }
    #expect(throws: Normalizer.Rejection.missingUUID) { try signIn(#"{"uuid":""}"#) }
    #expect(try signIn(#"{"uuid":"A"}"#).time == WireFixtures.ingested)
  }

  @Test func normalizingFromStoredRawGivesTheSameEvent() throws {
    for (name, stream) in [
      ("signin-v1.json", EventStream.signInAttempts), ("itemusage-v1.json", .itemUsages),
      ("audit-v2-group-manager.json", .auditEvents),
    ] {
      let event = try WireFixtures.event(name, stream: stream)
      let again = Normalizer.normalize(
        raw: event.raw, account: "acme", stream: stream, ingestedAt: WireFixtures.ingested)
      #expect(again == event)
    }
  }

  private func signIn(_ json: String) throws -> CanonicalEvent {
    let raw = Array(json.utf8)
    let wire = try #require(WireEvent(stream: .signInAttempts, json: try JSONDocument(bytes: raw).root))
    return try Normalizer.normalize(
      ReceivedEvent(event: wire, raw: raw), account: "a", ingestedAt: WireFixtures.ingested)
  }
}

@Suite struct CountryTests {
  @Test func codesNamesAndAliasesResolveToTheSameCountry() {
    for text in ["CA", "ca", "Canada", " canada ", "CAN"] {
      #expect(Country.resolve(text) == Country(code: "CA", name: "Canada"), "\(text)")
    }
    #expect(Country.resolve("United States of America")?.code == "US")
    #expect(Country.resolve("Russia")?.code == "RU")
    #expect(Country.resolve("Korea, Republic of")?.code == "KR")
    #expect(Country.name(ofCode: "de") == "Germany")
  }

  @Test func unknownTextIsKeptAsANameWithoutACode() {
    #expect(Country.resolve("Atlantis") == Country(code: "", name: "Atlantis"))
    #expect(Country.resolve("  ") == nil)
  }
}
