import Testing
import VigilBase
import VigilCore
import VigilEnrichment
import VigilEventsAPIModel
import VigilTestSupport

@Suite struct FeedParserTests {
  let now = Timestamp.fixture("2026-11-21T00:00:00Z")

  private func parse(_ file: String, _ format: FeedFormat, category: String? = nil) throws -> Parsed<ThreatIndicator> {
    try FeedParser.parse(try EnrichmentFixtures.bytes("feeds/" + file), format: format, category: category, now: now)
  }

  private func feed(_ file: String, _ format: FeedFormat) throws -> ThreatFeed {
    ThreatFeed(name: file, indicators: try parse(file, format).entries)
  }

  private func matches(_ feed: ThreatFeed, _ text: String) -> ThreatIndicator? { IPAddress(text).flatMap(feed.match) }

  @Test func fireholNetset() throws {
    let parsed = try parse("firehol_level1.netset", .list, category: "attacks")
    #expect(parsed.entries.count == 5)
    #expect(parsed.skipped == 0)
    let feed = ThreatFeed(name: "firehol", indicators: parsed.entries)
    #expect(matches(feed, "5.188.11.200")?.network.description == "5.188.10.0/23")
    #expect(matches(feed, "203.0.113.7")?.category == "attacks")
    #expect(matches(feed, "203.0.113.8") == nil)
  }

  @Test func spamhausDropWithSemicolonComments() throws {
    let feed = try feed("drop.txt", .list)
    #expect(feed.indicators.count == 3)
    #expect(matches(feed, "1.10.31.255") != nil)
    #expect(matches(feed, "1.10.32.0") == nil)
  }

  @Test func badLinesAreSkippedWithTheirLineNumbers() throws {
    let parsed = try parse("bad-lines.netset", .list)
    #expect(parsed.entries.count == 3)
    #expect(parsed.skipped == 3)
    #expect(parsed.problems.map(\.line) == [3, 4, 6])
    #expect(parsed.problems[0].description == "line 3: \"not-an-address\" is not an IP address or CIDR block")
  }

  @Test func csvWithCategoryAndConfidence() throws {
    let parsed = try parse("indicators.csv", .csv)
    #expect(parsed.entries.count == 3)
    #expect(parsed.problems.map(\.description) == ["line 5: confidence \"high\" is not a whole number 0–100"])
    let feed = ThreatFeed(name: "csv", indicators: parsed.entries)
    #expect(matches(feed, "198.51.100.23")?.confidence == 85)
    #expect(matches(feed, "203.0.113.200")?.category == "scanner")
    #expect(matches(feed, "2001:db8:bad:1::1")?.category == "phishing")
    #expect(matches(feed, "2001:db8:bad:1::1")?.confidence == nil)
  }

  @Test func csvWithoutAnIndicatorColumnNamesWhatItFound() {
    #expect(throws: SourceError.missingColumn("indicator (or ip, cidr, network)", header: ["address", "kind"])) {
      try FeedParser.parse(Array("address,kind\n1.2.3.4,x\n".utf8), format: .csv, now: now)
    }
  }

  @Test func torExitList() throws {
    let feed = try feed("tor-exit-addresses.txt", .tor)
    #expect(feed.indicators.count == 3)
    #expect(matches(feed, "192.0.2.66")?.category == "tor")
    #expect(matches(feed, "2001:db8::66") != nil)
    #expect(matches(feed, "192.0.2.65") == nil)
    // A plain list given as the Tor format is refused with a hint.
    #expect(throws: SourceError.self) { try parse("firehol_level1.netset", .tor) }
  }

  @Test func stixBundleSkipsRevokedExpiredAndNonIPIndicators() throws {
    let parsed = try parse("bundle.stix.json", .stix)
    #expect(parsed.entries.count == 3)
    #expect(parsed.problems.map(\.line) == [6])
    let feed = ThreatFeed(name: "stix", indicators: parsed.entries)
    #expect(matches(feed, "198.51.100.1")?.confidence == 75)
    #expect(matches(feed, "198.51.100.200")?.category == "malicious-activity")
    #expect(matches(feed, "2001:db8:dead:beef::1")?.category == "anonymization")
    #expect(matches(feed, "192.0.2.99") == nil)
    #expect(matches(feed, "192.0.2.98") == nil)
  }

  @Test func brokenFilesAreClearErrors() {
    #expect(throws: SourceError.self) {
      try FeedParser.parse(Array("{\"type\":\"bundle\",".utf8), format: .stix, now: now)
    }
    #expect(throws: SourceError.self) { try FeedParser.parse(Array("[1,2]".utf8), format: .stix, now: now) }
    do {
      _ = try FeedParser.parse(Array("garbage\nmore garbage\n".utf8), format: .list, now: now)
      Issue.record("a feed with no usable line must fail")
    } catch {
      #expect(error.description.contains("line 1: \"garbage\" is not an IP address or CIDR block"))
    }
    let long = Array(String(repeating: "1", count: 10_000).utf8) + Array("\n192.0.2.1\n".utf8)
    let parsed = try? FeedParser.parse(long, format: .list, now: now)
    #expect(parsed?.entries.count == 1)
    #expect(parsed?.problems.first?.line == 1)
  }

  @Test func severalFeedsGiveTheBestMatchAndEveryName() throws {
    let set = ThreatFeedSet([
      try feed("firehol_level1.netset", .list), try feed("indicators.csv", .csv), try feed("drop.txt", .list),
    ])
    let match = try #require(set.match(IPAddress("198.51.100.23")!))
    #expect(match.feeds == ["indicators.csv", "drop.txt", "firehol_level1.netset"])
    #expect(match.confidence == 85)
    #expect(match.indicator == "198.51.100.23")
    #expect(set.match(IPAddress("8.8.8.8")!) == nil)
  }
}
