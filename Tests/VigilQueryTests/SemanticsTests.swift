import Testing
import VigilBase
import VigilCore
import VigilEventsAPIModel
import VigilTestSupport

@testable import VigilQuery

/// The rules both back ends share: wildcards, case, absent values, time words.
@Suite struct SemanticsTests {
  @Test(arguments: [
    ("*Browser*", "1Password Browser Extension", true), ("*browser*", "1Password Browser Extension", true),
    ("a?c", "abc", true), ("a?c", "ac", false), ("a*", "a", true), ("*", "", true), ("a\\*", "a*", true),
    ("a\\*", "ab", false), ("ZOË", "zoë", false), ("zo?", "zoë", true), ("100%", "100%", true), ("a_c", "abc", false),
    ("*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", false),
  ])
  func wildcardsMatchAsSQLLikeDoes(pattern: String, text: String, matches: Bool) {
    #expect(Pattern.matches(Pattern.tokens(pattern), text) == matches)
  }

  @Test func likePatternsEscapeSQLsOwnWildcards() {
    #expect(Pattern.like(Pattern.tokens("100%_*?\\\\")) == "100\\%\\_%_\\\\")
  }

  @Test func absentValuesMatchNothingButTheirNegation() throws {
    var event = CanonicalEvent(
      account: "a", stream: .signInAttempts, uuid: "u", time: Timestamp(seconds: 1_790_000_000),
      ingestedAt: Timestamp(seconds: 1_790_000_000), raw: Array(#"{"uuid":"u","n":5,"ok":true,"x":1.5}"#.utf8))
    event.user.email = "Alice@Example.com"
    func matches(_ query: String) throws -> Bool {
      MemoryFilter(try QueryParser.parse(query, now: 0).filter).matches(event)
    }
    #expect(try matches("user:Alice@Example.com"))
    #expect(try !matches("user:alice@example.com"))
    #expect(try matches("user:alice@*"))
    #expect(try matches("alice"))
    #expect(try !matches("country:DE"))
    #expect(try matches("-country:DE"))
    #expect(try !matches("country:>A"))
    #expect(try matches("NOT country:*"))
    #expect(try matches("raw.n:5 raw.ok:true raw.uuid:u"))
    #expect(try !matches("raw.x:1.5"))
    #expect(try !matches("raw.missing:*"))
  }

  @Test func timeWordsAndRanges() {
    let now: Int64 = 1_790_000_000 * 1_000_000_000 + 123
    let day = TimeExpression.day
    #expect(TimeExpression.instant("today", now: now) == now - now % day)
    #expect(TimeExpression.range("yesterday", now: now) == TimeRange(from: now - now % day - day, to: now - now % day))
    #expect(TimeExpression.range("last 24h", now: now) == TimeRange(from: now - day))
    #expect(TimeExpression.range("7d", now: now) == TimeRange(from: now - 7 * day))
    #expect(TimeExpression.instant("1899-12-31", now: now) == nil)
    #expect(TimeExpression.duration("10001w") == nil)
    #expect(TimeRange(from: Int64.min + 5).shifted(by: 10).from == Int64.min)
  }
}
