import Foundation
import PropertyBased
import Testing
import VigilBase
import VigilCore
import VigilEnrichment
import VigilEventsAPIModel
import VigilJSON
import VigilTestSupport

@Suite struct EnricherTests {
  let now = Timestamp.fixture("2026-11-21T00:00:00Z")

  static func event(_ json: String, stream: EventStream) -> CanonicalEvent {
    let raw = Array(json.utf8)
    let zero = Timestamp(seconds: 0)
    return Normalizer.normalize(raw: raw, account: "acme", stream: stream, ingestedAt: zero)
      ?? CanonicalEvent(account: "acme", stream: stream, uuid: "not-normalized", time: zero, ingestedAt: zero, raw: raw)
  }

  static let signIn = event(
    #"{"uuid":"A","timestamp":"2021-08-11T15:04:22Z","country":"SE","category":"success","type":"mfa_ok","target_user":{"uuid":"U","name":"N","email":"Email@1Password.com"},"client":{"ip_address":"89.160.20.156"}}"#,
    stream: .signInAttempts)

  func loader(_ settings: EnrichmentSettings) -> EnrichmentLoader {
    EnrichmentLoader(settings: settings, cachePath: { "/nonexistent/\($0.name)" }) { path in
      Array(try Data(contentsOf: EnrichmentFixtures.directory.appendingPathComponent(path)))
    }
  }

  var everything: EnrichmentSettings {
    var settings = EnrichmentSettings()
    settings.cityDatabase = "mmdb/GeoIP2-City-Test.mmdb"
    settings.asnDatabase = "mmdb/GeoLite2-ASN-Test.mmdb"
    var tor = FeedSettings(name: "tor", location: .file("feeds/tor-exit-addresses.txt"), format: .tor)
    tor.confidence = 90
    settings.feeds = [
      FeedSettings(name: "firehol", location: .file("feeds/firehol_level1.netset"), format: .list), tor,
    ]
    settings.lookups = [.vaults: "lookups/vaults.csv", .users: "lookups/users.csv", .networks: "lookups/networks.csv"]
    return settings
  }

  @Test func databasesFillWhatTheEventLacksAndAddTheASN() {
    let (enricher, statuses) = loader(everything).load(now: now)
    #expect(statuses.allSatisfy { $0.error == nil }, "\(statuses.compactMap(\.error))")
    var event = Self.signIn
    enricher.enrich(&event)
    #expect(event.geo.countryCode == "SE")
    #expect(event.geo.city == "Linköping")
    #expect(event.geo.latitude == 58.4167)
    #expect(event.enrichment.geoSource == .mmdb)
    #expect(event.enrichment.asNumber == 29518)
    #expect(event.enrichment.asOrganization == "Bredband2 AB")
    #expect(event.enrichment.network == "stockholm-office")
    #expect(event.enrichment.userDepartment == "Engineering")
    #expect(event.enrichment.userManager == "grace@example.com")
    #expect(event.enrichment.threat == nil)
  }

  @Test func theEventsOwnLocationWinsOverTheDatabase() {
    let (enricher, _) = loader(everything).load(now: now)
    // The API says Toronto for an address the database puts in Sweden: keep Toronto, add nothing.
    var event = Self.event(
      #"{"uuid":"B","timestamp":"2021-08-30T18:57:42Z","vault_uuid":"JAQXQF5QYLSLQIITNDUAWRNDC5","item_uuid":"i","user":{"uuid":"U","email":"zoe@example.com"},"client":{"ip_address":"89.160.20.156"},"location":{"country":"Canada","region":"Ontario","city":"Toronto","latitude":43.64,"longitude":-79.433},"action":"reveal"}"#,
      stream: .itemUsages)
    enricher.enrich(&event)
    #expect(event.geo.city == "Toronto")
    #expect(event.geo.latitude == 43.64)
    #expect(event.enrichment.geoSource == .event)
    #expect(event.enrichment.vaultName == "Production")
    #expect(event.enrichment.userDepartment == "Sales")
    #expect(event.enrichment.userManager == nil)
  }

  @Test func aPageSharingOneMemoGetsWhatEachEventGetsAlone() {
    let (enricher, _) = loader(everything).load(now: now)
    // Same address: the first event has its own location, the second needs the database's.
    let toronto = Self.event(
      #"{"uuid":"B","timestamp":"2021-08-30T18:57:42Z","user":{"uuid":"U","email":"zoe@example.com"},"client":{"ip_address":"89.160.20.156"},"location":{"country":"Canada","city":"Toronto","latitude":43.64,"longitude":-79.433},"action":"reveal"}"#,
      stream: .itemUsages)
    let threat = Self.event(
      #"{"uuid":"C","timestamp":"2021-08-11T15:04:22Z","category":"credentials_failed","client":{"ip_address":"192.0.2.66"}}"#,
      stream: .signInAttempts)
    let page = [toronto, Self.signIn, threat, Self.signIn, threat]
    var memo = EnrichmentMemo()
    for original in page {
      var shared = original
      enricher.enrich(&shared, memo: &memo)
      var alone = original
      enricher.enrich(&alone)
      #expect(shared == alone)
    }
    var second = Self.signIn
    enricher.enrich(&second, memo: &memo)
    #expect(second.geo.city == "Linköping")
    #expect(second.enrichment.geoSource == .mmdb)
  }

  @Test func theMemoStopsRememberingAtItsCapacity() {
    var memo = EnrichmentMemo()
    var lookups = 0
    for round in 0..<2 {
      for index in 0..<(EnrichmentMemo.capacity + 10) {
        _ = memo.facts(for: "10.0.\(index / 256).\(index % 256)") {
          lookups += 1
          return AddressFacts()
        }
      }
      // The first round looks every address up; the second only the ten past capacity.
      #expect(lookups == (round == 0 ? EnrichmentMemo.capacity + 10 : EnrichmentMemo.capacity + 20))
    }
  }

  @Test func threatMatchesNameEveryFeed() {
    let (enricher, _) = loader(everything).load(now: now)
    var event = Self.event(
      #"{"uuid":"C","timestamp":"2021-08-11T15:04:22Z","category":"credentials_failed","client":{"ip_address":"192.0.2.66"}}"#,
      stream: .signInAttempts)
    enricher.enrich(&event)
    #expect(event.enrichment.threat?.feeds == ["tor", "firehol"])
    #expect(event.enrichment.threat?.category == "tor")
    #expect(event.enrichment.threat?.confidence == 90)
    #expect(event.enrichment.threat?.indicator == "192.0.2.66")
    #expect(event.enrichment.geoSource == nil)
  }

  @Test func brokenSourcesAreReportedAndKeepTheirPreviousContents() {
    let (working, _) = loader(everything).load(now: now)
    var broken = everything
    broken.feeds[0].location = .file("feeds/missing.netset")
    broken.lookups[.items] = "lookups/items-no-title.csv"
    broken.cityDatabase = "mmdb-bad/libmaxminddb--libmaxminddb-metadata-marker-only.mmdb"
    let (enricher, statuses) = loader(broken).load(now: now, previous: working)
    let errors = Dictionary(uniqueKeysWithValues: statuses.map { ($0.name, $0.error) })
    #expect(errors["firehol"]??.isEmpty == false)
    #expect(errors["lookups.items"]??.contains("no title or name or item_title column") == true)
    #expect(errors["geoip.city"]??.contains("MaxMind DB") == true)
    #expect(statuses.first { $0.name == "firehol" }?.entries == 5, "the previous feed stays in use")
    var event = Self.event(
      #"{"uuid":"D","timestamp":"2021-08-11T15:04:22Z","category":"success","client":{"ip_address":"198.51.100.9"}}"#,
      stream: .signInAttempts)
    enricher.enrich(&event)
    #expect(event.enrichment.threat?.feeds == ["firehol"])
    let networks = statuses.first { $0.name == "lookups.networks" }
    #expect(networks?.entries == 3)
    #expect(networks?.problems == ["line 5: \"not-a-network\" is not an IP address or CIDR block"])
  }

  @Test func urlFeedsWithoutADownloadSayWhatHappensNext() {
    var settings = EnrichmentSettings()
    settings.feeds = [
      FeedSettings(name: "remote", location: .url("https://user:secret@feeds.example/list.txt"), format: .list)
    ]
    let (_, statuses) = loader(settings).load(now: now)
    #expect(statuses[0].location == "https://feeds.example/list.txt")
    #expect(statuses[0].error?.contains("next refresh") == true)
    #expect(statuses[0].error?.contains("secret") == false)
  }

  /// CSV reading round-trips any text the RFC 4180 writer quotes, with the right line numbers.
  @Test func csvReaderRoundTrips() async {
    let alphabet = Array("ab,\"\n\r xé")
    let cell = Gen.int(in: 0...(alphabet.count - 1)).map { alphabet[$0] }.string(of: 0...8)
    await propertyCheck(count: 2000, input: cell.array(of: 1...4).array(of: 1...5)) { rows in
      var text = ""
      for row in rows {
        text +=
          row.map { field in
            field.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
              ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
          }.joined(separator: ",") + "\n"
      }
      var reader = CSVReader(Array(text.utf8))
      var read: [[String]] = []
      while let record = try? reader.next() { read.append(record.fields) }
      // Blank records (a single empty field) are skipped by the reader.
      let expected = rows.filter { !($0.count == 1 && $0[0].isEmpty) }.map { $0.map { Self.normalizeCR($0) } }
      #expect(read.map { $0.map { Self.normalizeCR($0) } } == expected)
    }
  }

  /// A lone CR at the end of an unquoted field is taken as part of a CRLF line ending.
  static func normalizeCR(_ text: String) -> String { text.replacingOccurrences(of: "\r", with: "") }
}
