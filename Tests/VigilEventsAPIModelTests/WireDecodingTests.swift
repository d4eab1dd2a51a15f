import Testing
import VigilBase
import VigilJSON
import VigilTestSupport

@testable import VigilEventsAPIModel

@Suite struct WireDecodingTests {
  /// Four MB of `0,` would be a 42 MB tape: a page has far fewer values, so such a body is refused.
  @Test func aPageWithMillionsOfValuesIsRefused() {
    let hostile = Array(("{\"items\":[" + Array(repeating: "0", count: 2_100_000).joined(separator: ",") + "]}").utf8)
    #expect(
      throws: PageDecodingError.invalidJSON(JSONError(.tooManyValues, at: 10 + 2 * (EventPage.maximumValues - 3)))
    ) {
      try EventPage(stream: .auditEvents, body: hostile)
    }
  }

  @Test func signInAttemptVerbatimExample() throws {
    let event = try #require(SignInAttempt(json: try WireFixtures.value("signin-v1.json")))
    #expect(event.uuid == "QVWKEOEWXU2DIDHWTK6HGIF4TV")
    #expect(event.timestamp?.rfc3339 == "2021-08-11T15:04:22Z")
    #expect(event.category == .credentialsFailed && !(event.category?.isSuccess ?? true))
    #expect(event.type == "password_secret_bad")
    #expect(event.detailsValue == nil)
    #expect(event.targetUser?.email == "email@1password.com")
    #expect(event.client?.ipAddress == "89.160.20.156")
    #expect(event.location == nil)
  }

  @Test func itemUsageVerbatimExample() throws {
    let event = try #require(ItemUsage(json: try WireFixtures.value("itemusage-v1.json")))
    #expect(event.action == "reveal")
    #expect(event.usedVersion == 1)
    #expect(event.vaultUUID == "jaqxqf5qylslqiitnduawrndc5")
    #expect(event.timestamp == Timestamp(seconds: 1_630_349_862, nanoseconds: 484_000_000))
    #expect(
      event.location
        == WireLocation(country: "Canada", region: "Ontario", city: "Toronto", latitude: 43.64, longitude: -79.433))
  }

  @Test func auditEventVerbatimExamples() throws {
    let v1 = try #require(AuditEvent(json: try WireFixtures.value("audit-v1.json")))
    #expect(v1.action == "suspend" && v1.objectType == "user")
    #expect(v1.timestamp?.nanoseconds == 827_288_935)
    #expect(v1.session?.loginTime?.rfc3339 == "2022-10-24T21:07:34.703106271Z")
    #expect(v1.session?.deviceUUID == "rqtd557fn2husnstp5nc66w2xa")
    #expect(v1.actorType == nil)

    let v2 = try #require(AuditEvent(json: try WireFixtures.value("audit-v2-group-manager.json")))
    #expect(v2.action == "join" && v2.objectType == "gm" && v2.auxInfo == "A")
    #expect(v2.auxID == 9_277_034)
    #expect(v2.auxDetails?.name == "Wendy Appleseed")
    #expect(v2.actorType == "user")
    // -03:00 offset: 16:33:50 local is 19:33:50 UTC.
    #expect(v2.timestamp?.rfc3339 == "2023-03-15T19:33:50Z")
  }

  @Test func nullsUnknownFieldsAndV2FieldsAreTolerated() throws {
    let event = try #require(SignInAttempt(json: try WireFixtures.value("signin-v2-firewall-unknown.json")))
    #expect(event.category == .firewallFailed)
    #expect(event.detailsValue == "Europe")
    #expect(event.country == "France")
    #expect(event.client == nil)
    #expect(event.location?.region == nil && event.location?.city == "Paris")
    #expect(event.targetUser?.name == "Zoë \"Z\" O'Brien")
    #expect(event.targetUser?.userAccountUUID == "ACCOUNTAAAAAAAAAAAAAAAAAAA")
    #expect(event.accountUUID == "ACCOUNTAAAAAAAAAAAAAAAAAAA")
    #expect(event.timestamp?.rfc3339 == "2024-05-01T08:00:00.5Z")
  }

  @Test func pageKeepsUnknownValuesAndRawBytesAndCountsMalformedItems() throws {
    let body = try WireFixtures.bytes("page-mixed.json")
    let page = try EventPage(stream: .signInAttempts, body: body)
    #expect(page.cursor == "abc" && page.hasMore)
    #expect(page.items.count == 2)
    #expect(page.malformedItems == 1)
    guard case .signInAttempt(let first) = page.items[0].event else {
      Issue.record("wrong stream")
      return
    }
    #expect(first.category == "totally_new" && !(first.category?.isKnown ?? true))
    #expect(first.type?.isU2FTimeout == true)
    #expect(
      String(decoding: page.items[1].raw, as: UTF8.self)
        == #"{"uuid":"A2","timestamp":"2024-01-01T00:00:01.123456789Z","category":"success","type":"federated"}"#)
  }

  @Test func pageErrors() {
    #expect(throws: PageDecodingError.missingCursor) {
      try EventPage(stream: .auditEvents, body: Array(#"{"items":[]}"#.utf8))
    }
    #expect(throws: PageDecodingError.notAnObject) { try EventPage(stream: .auditEvents, body: Array("[]".utf8)) }
    #expect(throws: PageDecodingError.itemsNotAnArray) {
      try EventPage(stream: .auditEvents, body: Array(#"{"cursor":"c","items":{}}"#.utf8))
    }
    #expect(throws: PageDecodingError.self) {
      try EventPage(stream: .auditEvents, body: Array(#"{"cursor":"c","items":["#.utf8))
    }
    let empty = try? EventPage(stream: .itemUsages, body: Array(#"{"cursor":"c","items":null}"#.utf8))
    #expect(empty?.items.isEmpty == true && empty?.hasMore == false)
  }

  @Test func errorBodiesInEveryShape() {
    #expect(ErrorBody.message(from: Array(#"{"Error":{"Message":"Unauthorized"}}"#.utf8)) == "Unauthorized")
    #expect(ErrorBody.message(from: Array(#"{"status":401,"message":"Invalid token"}"#.utf8)) == "Invalid token")
    #expect(ErrorBody.message(from: Array("404 page not found\n".utf8)) == "404 page not found")
    #expect(
      ErrorBody.message(from: Array("<html>\n<b>bad gateway</b></html>".utf8)) == "<html> <b>bad gateway</b></html>")
    #expect(ErrorBody.message(from: []) == nil)
    let long = ErrorBody.message(from: Array(String(repeating: "x", count: 5000).utf8)) ?? ""
    #expect(long.count == ErrorBody.maximumLength + 1)
  }

  @Test func introspectionBothShapes() {
    let v2 = Introspection(
      body: Array(
        #"{"uuid":"T","issued_at":"2024-01-01T00:00:00Z","features":["auditevents"],"account_uuid":"A"}"#.utf8))
    #expect(
      v2
        == Introspection(
          uuid: "T", issuedAt: Timestamp(seconds: 1_704_067_200), features: ["auditevents"], accountUUID: "A"))
    let v1 = Introspection(
      body: Array(#"{"UUID":"T","IssuedAt":"2024-01-01T00:00:00Z","Features":["itemusages"]}"#.utf8))
    #expect(v1?.uuid == "T" && v1?.features == ["itemusages"] && v1?.accountUUID == nil)
  }
}
