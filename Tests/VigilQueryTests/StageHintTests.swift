import Testing
import VigilQuery

/// Found by trying Vigil as a new user: `count by stream` without its pipe searched three words and
/// quietly returned nothing.
@Suite struct StageHintTests {
  @Test(arguments: ["count by stream", "top 10 user", "  timechart span=1h count", "stats count by action"])
  func aStageWithoutItsPipeRunsAsWrittenWithAHint(query: String) throws {
    let plan = try Search.plan(query, now: 0)
    #expect(plan.aggregation == nil, "still searched as free text")
    let hint = try #require(plan.hints.first)
    #expect(hint.contains("'| \(query.drop { $0 == " " })'"))
  }

  @Test(arguments: ["| count by stream", "signin | top 10 user", "user:alice@example.com", "counter", "countryside"])
  func queriesThatSayWhatTheyMeanGetNoHint(query: String) throws {
    #expect(try Search.plan(query, now: 0).hints.isEmpty)
  }
}
