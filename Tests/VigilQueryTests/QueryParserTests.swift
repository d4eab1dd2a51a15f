import Testing
import VigilCore
import VigilTestSupport

@testable import VigilQuery

@Suite struct QueryParserTests {
  let now: Int64 = 1_790_000_000 * 1_000_000_000

  func parse(_ text: String) throws -> Query { try QueryParser.parse(text, now: now) }

  func error(_ text: String) -> QueryError? {
    do {
      _ = try QueryParser.parse(text, now: now)
      return nil
    } catch {
      return error
    }
  }

  @Test func fieldTermsResolveAliasesThroughTheCatalog() throws {
    #expect(try parse("user:a@b.c").filter == .term(.field("user.email"), .equals(.string("a@b.c"))))
    #expect(try parse("ip:10.0.0.1").filter == .term(.field("source.ip"), .equals(.string("10.0.0.1"))))
    #expect(try parse("country:DE").filter == .term(.field("geo.country_code"), .equals(.string("DE"))))
    #expect(try parse("app:*Browser*").filter == .term(.field("client.app"), .wildcard("*Browser*")))
    #expect(try parse("outcome:failure").filter == .term(.field("event.outcome"), .equals(.string("failure"))))
  }

  @Test func implicitAndExplicitBooleansNestAsWritten() throws {
    let a = Filter.term(.field("event.action"), .equals(.string("a")))
    let b = Filter.term(.field("event.action"), .equals(.string("b")))
    let c = Filter.term(.field("event.action"), .equals(.string("c")))
    #expect(try parse("action:a action:b").filter == .and([a, b]))
    #expect(try parse("action:a AND action:b OR action:c").filter == .or([.and([a, b]), c]))
    #expect(try parse("action:a (action:b OR action:c)").filter == .and([a, .or([b, c])]))
    #expect(try parse("NOT action:a").filter == .not(a))
    #expect(try parse("-action:a").filter == .not(a))
    #expect(try parse("action:(a OR b)").filter == .or([a, b]))
    #expect(try parse("action:(a OR -b)").filter == .or([a, .not(b)]))
  }

  @Test func comparisonsRangesAndExistence() throws {
    #expect(
      try parse("item.version:>=3").filter == .term(.field("item.version"), .compare(.greaterOrEqual, .integer(3))))
    #expect(
      try parse("item.version:[2 TO 5}").filter
        == .term(
          .field("item.version"),
          .range(lower: .integer(2), lowerInclusive: true, upper: .integer(5), upperInclusive: false)))
    #expect(
      try parse("item.version:[2 TO *]").filter == .term(.field("item.version"), .compare(.greaterOrEqual, .integer(2)))
    )
    #expect(try parse("session.id:*").filter == .term(.field("session.id"), .exists))
    #expect(try parse("geo.lat:<-10.5").filter == .term(.field("geo.lat"), .compare(.less, .double(-10.5))))
  }

  @Test func networksAndAddresses() throws {
    guard case .term(_, .network(let network)) = try parse("source.ip:10.0.0.0/8").filter else {
      Issue.record("not a network")
      return
    }
    #expect(network.contains(IPAddress("10.200.1.1")!))
    #expect(!network.contains(IPAddress("11.0.0.1")!))
    #expect(try parse("ip:2001:DB8::1").filter == .term(.field("source.ip"), .equals(.string("2001:db8::1"))))
    #expect(error("ip:banana")?.message.contains("not an IP address") == true)
  }

  @Test func timesAcceptDatesInstantsAndRelativeForms() throws {
    let day: Int64 = 86_400 * 1_000_000_000
    #expect(
      try parse("time:>=now-1h").filter
        == .term(.field("event.time"), .compare(.greaterOrEqual, .time(now - 3_600_000_000_000))))
    guard case .term(_, .range(.time(let start), true, .time(let end), false)) = try parse("time:2026-11-01").filter
    else {
      Issue.record("a date is not its day")
      return
    }
    #expect(end - start == day)
    #expect(start == TimeExpression.date("2026-11-01"))
    #expect(TimeExpression.date("2026-02-30") == nil)
    #expect(error("time:>yesterdayish")?.message.contains("expects a time") == true)
  }

  @Test func streamShorthandFreeTextAndRawPaths() throws {
    #expect(try parse("signin").filter == .term(.field("event.stream"), .equals(.string("signinattempts"))))
    #expect(try parse("stream:audit").filter == .term(.field("event.stream"), .equals(.string("auditevents"))))
    #expect(try parse("stream:audit_events").filter == .term(.field("event.stream"), .equals(.string("auditevents"))))
    #expect(try parse("item_usages").filter == .term(.field("event.stream"), .equals(.string("itemusages"))))
    #expect(try parse("\"signin\"").filter == .text("signin"))
    #expect(try parse("wendy*").filter == .text("wendy*"))
    #expect(try parse("\"a*b\"").filter == .text("a\\*b"))
    #expect(
      try parse("raw.client.app_name:Vigil").filter == .term(.raw(["client", "app_name"]), .equals(.string("Vigil"))))
    #expect(error("raw.a..b:x") != nil)
    #expect(error("raw.a:>3")?.message.contains("raw paths") == true)
  }

  @Test func stagesParseIntoAggregations() throws {
    let query = try parse("signin | timechart span=1h count by outcome | compare 1d")
    #expect(
      query.stages == [
        .aggregate(Aggregation(span: 3_600_000_000_000, groups: ["event.outcome"], metrics: [.count])),
        .compare(86_400_000_000_000),
      ])
    #expect(
      try parse("| top 5 user").stages == [
        .aggregate(Aggregation(groups: ["user.email"], metrics: [.count], ranking: .init(count: 5, ascending: false)))
      ])
    #expect(
      try parse("| stats count, dc(user), max(time) by country").stages == [
        .aggregate(
          Aggregation(
            groups: ["geo.country_code"], metrics: [.count, .distinct("user.email"), .max("event.time")]))
      ])
    #expect(
      try parse("| dc(ip) by user").stages == [
        .aggregate(Aggregation(groups: ["user.email"], metrics: [.distinct("source.ip")]))
      ])
    #expect(
      try parse("| sort -time, user | limit 5").stages == [
        .sort([SortKey("event.time", descending: true), SortKey("user.email", descending: false)]), .limit(5),
      ])
  }

  @Test func errorsPointAtTheOffendingCharacterAndSuggest() {
    let unknown = error("outcome:failure usr.email:x")
    #expect(unknown?.position == 16)
    #expect(unknown?.suggestion == "user.email")
    #expect(unknown?.rendered(in: "outcome:failure usr.email:x").contains("\n                  ^\n") == true)
    #expect(error("(action:a")?.position == 0)
    #expect(error("action:a)")?.position == 8)
    #expect(error("\"open")?.message.contains("quote") == true)
    let stage = error("signin | tpo 5 user")
    #expect(stage?.position == 9)
    #expect(stage?.suggestion == "top")
    #expect(error("| stats avg(user)")?.message.contains("numeric") == true)
    #expect(error("action:")?.position == 7)
  }

  @Test func boundsRefuseHugeAndDeepQueries() {
    #expect(error(String(repeating: "a", count: 10_001))?.position == 10_000)
    #expect(
      error(String(repeating: "(", count: 100) + "a" + String(repeating: ")", count: 100))?.message.contains("nests")
        == true)
    #expect(error(String(repeating: "NOT ", count: 100) + "a")?.message.contains("nests") == true)
  }
}
