import Testing
import VigilBase
import VigilEventsAPIModel
import VigilJSON
import VigilTestSupport

@testable import VigilEmulatorCore

@Suite struct PagingSemanticsTests {
  struct Call {
    let engine: EmulatorEngine
    let token: String

    func post(_ body: String, version: APIVersion = .v2, stream: EventStream = .signInAttempts) -> (Int, JSONValue?) {
      let response = engine.events(
        version: version, stream: stream, authorization: "Bearer \(token)", body: Array(body.utf8))
      return (response.status, try? JSONDocument(bytes: response.body).root)
    }
  }

  static func call(_ configure: (inout EmulatorOptions) -> Void = { _ in }) throws -> Call {
    let engine = try OrganisationTests.engine { options in
      options.users = 20
      options.days = 3
      configure(&options)
    }
    return Call(engine: engine, token: try engine.issueToken().token)
  }

  @Test func defaultStartTimeIsOneHourBack() throws {
    let call = try Self.call()
    let (status, page) = call.post("{}")
    #expect(status == 200)
    let now = call.engine.now
    for item in page?["items"].map({ Array($0.elements) }) ?? [] {
      let timestamp = item["timestamp"]?.string.flatMap(Timestamp.init(rfc3339:))
      #expect(timestamp.map { $0 >= now.adding(seconds: -3600) } ?? false)
    }
  }

  @Test func sameCursorWhenNothingIsNewAndCursorsAreTamperEvident() throws {
    let call = try Self.call()
    var (_, page) = call.post(#"{"limit":1000,"start_time":"2020-01-01T00:00:00Z"}"#)
    while page?["has_more"]?.bool == true {
      (_, page) = call.post(#"{"cursor":"\#(page?["cursor"]?.string ?? "")"}"#)
    }
    let cursor = page?["cursor"]?.string ?? ""
    let (_, again) = call.post(#"{"cursor":"\#(cursor)"}"#)
    #expect(again?["cursor"]?.string == cursor)
    #expect(again?["items"]?.count == 0)
    #expect(again?["has_more"]?.bool == false)
    #expect(call.post(#"{"cursor":"x\#(cursor)"}"#).0 == 400)
    #expect(call.post(#"{"cursor":"\#(cursor)"}"#, stream: .auditEvents).0 == 400, "cursors are per endpoint")
  }

  @Test func limitsAndTimesAreValidated() throws {
    let call = try Self.call()
    #expect(call.post(#"{"limit":1001}"#).0 == 400)
    #expect(call.post(#"{"limit":0}"#).0 == 400)
    #expect(call.post(#"{"limit":2.5}"#).0 == 400)
    #expect(call.post(#"{"start_time":"yesterday"}"#).0 == 400)
    #expect(call.post("not json").0 == 400)
    let (status, body) = call.post(#"{"limit":1001}"#, version: .v1)
    #expect(status == 400 && body?["Error"]?["Message"]?.string != nil)
    #expect(call.post(#"{"limit":1001}"#).1?["message"]?.string != nil)
  }

  @Test func limitAndEndTimeAreHonoured() throws {
    let call = try Self.call()
    let (_, page) = call.post(#"{"limit":7,"start_time":"2020-01-01T00:00:00Z"}"#)
    #expect(page?["items"]?.count == 7)
    #expect(page?["has_more"]?.bool == true)
    let end = call.engine.now.adding(seconds: -86_400)
    let (_, bounded) = call.post(#"{"limit":1000,"start_time":"2020-01-01T00:00:00Z","end_time":"\#(end.rfc3339)"}"#)
    for item in bounded?["items"].map({ Array($0.elements) }) ?? [] {
      #expect(item["timestamp"]?.string.flatMap(Timestamp.init(rfc3339:)).map { $0 <= end } ?? false)
    }
  }

  @Test func onlyTheLast120DaysAreServed() throws {
    let engine = try OrganisationTests.engine { options in
      options.users = 5
      options.days = 10
      options.retentionDays = 5
    }
    let token = try engine.issueToken().token
    let response = engine.events(
      version: .v2, stream: .itemUsages, authorization: "Bearer \(token)",
      body: Array(#"{"limit":1000,"start_time":"2020-01-01T00:00:00Z"}"#.utf8))
    let page = try JSONDocument(bytes: response.body).root
    let cutoff = engine.now.adding(seconds: -5 * 86_400)
    for item in page["items"].map({ Array($0.elements) }) ?? [] {
      #expect(item["timestamp"]?.string.flatMap(Timestamp.init(rfc3339:)).map { $0 >= cutoff } ?? false)
    }
  }

  @Test func rateLimitsAnswer429WithRetryAfter() throws {
    let call = try Self.call { $0.limits = RateLimits(perMinute: 3, perHour: 100) }
    for _ in 0..<3 { #expect(call.post("{}").0 == 200) }
    let response = call.engine.events(
      version: .v2, stream: .signInAttempts, authorization: "Bearer \(call.token)", body: [])
    #expect(response.status == 429)
    let retryAfter = response.headers.first { $0.0 == "Retry-After" }.flatMap { Int($0.1) }
    #expect(retryAfter.map { (1...60).contains($0) } ?? false)
  }

  @Test func faultSpecParsing() throws {
    let plan = try FaultPlan(spec: "503=0.1, reset=0.05,slow-seconds=3")
    #expect(plan.rates[.status503] == 0.1 && plan.rates[.reset] == 0.05 && plan.slowSeconds == 3)
    #expect(throws: FaultSpecError.unknownKind("teapot")) { try FaultPlan(spec: "teapot=0.1") }
    #expect(throws: FaultSpecError.malformed("503")) { try FaultPlan(spec: "503") }
  }

  @Test func tokensAreSignedAndCheckable() throws {
    let engine = try OrganisationTests.engine { $0.users = 3 }
    let issued = try engine.issueToken(features: ["itemusages"], expiresIn: 3600)
    let parsed = try EventsToken(issued.token)
    #expect(parsed.audience == ["events.1password.com"])
    #expect(parsed.features == ["itemusages"])
    #expect(parsed.accountUUID == issued.accountUUID)
    #expect(parsed.expiresAt == parsed.issuedAt.map { $0.adding(seconds: 3600) })
    #expect(throws: EmulatorEngine.AdminError.unknownFeature("everything")) {
      try engine.issueToken(features: ["everything"])
    }
    #expect(throws: EmulatorEngine.AdminError.unknownAccount("nobody")) { try engine.issueToken(account: "nobody") }
  }
}

@Suite struct FaultBoundsTests {
  @Test func aSlowFaultLongerThanAMinuteIsRefused() {
    #expect(throws: FaultSpecError.malformed("slow-seconds=1e9")) { try FaultPlan(spec: "slow=1,slow-seconds=1e9") }
    #expect((try? FaultPlan(spec: "slow=1,slow-seconds=30"))?.slowSeconds == 30)
  }
}
