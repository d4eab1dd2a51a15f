import Testing
import VigilConfig
import VigilEnrichment
import VigilTestSupport
import VigilYAML

@Suite struct EnrichmentConfigTests {
  let base = "accounts:\n  - name: acme\n    token_file: acme.jwt\n"

  func load(_ text: String) throws(ConfigError) -> EnrichmentSettings {
    try ConfigLoader(file: "/etc/vigil/vigil.yaml", environment: ["HOME": "/home/ops"]).load(base + text).enrichment
  }

  @Test func everySourceWithPathsRelativeToTheFile() throws {
    let settings = try load(
      """
      enrichment:
        geoip:
          city: geo/GeoLite2-City.mmdb
          asn: /var/lib/geo/GeoLite2-ASN.mmdb
        feeds:
          - name: firehol_level1
            url: https://iplists.firehol.org/files/firehol_level1.netset
            refresh: 6h
            category: attacks
          - name: mine
            file: intel/mine.csv
            format: csv
            confidence: 80
        lookups:
          vaults: lookups/vaults.csv
          networks: lookups/networks.csv
        check_interval: 1m
      """)
    #expect(settings.cityDatabase == "/etc/vigil/geo/GeoLite2-City.mmdb")
    #expect(settings.asnDatabase == "/var/lib/geo/GeoLite2-ASN.mmdb")
    #expect(settings.feeds.count == 2)
    #expect(settings.feeds[0].location == .url("https://iplists.firehol.org/files/firehol_level1.netset"))
    #expect(settings.feeds[0].refresh == 21_600)
    #expect(settings.feeds[0].format == .list)
    #expect(settings.feeds[1].location == .file("/etc/vigil/intel/mine.csv"))
    #expect(settings.feeds[1].confidence == 80)
    #expect(settings.lookups[.networks] == "/etc/vigil/lookups/networks.csv")
    #expect(settings.checkInterval == 60)
  }

  @Test func noSectionMeansNoEnrichment() throws {
    #expect(try load("").isEmpty)
  }

  @Test func mistakesAreReportedWithTheirLines() {
    do {
      _ = try load(
        """
        enrichment:
          feeds:
            - name: bad,name
              file: x.txt
            - name: both
              file: x.txt
              url: https://example.com/x
            - name: fmt
              file: x.txt
              format: stx
            - name: conf
              file: x.txt
              confidence: 150
            - name: conf
              file: y.txt
          lookups:
            vault: v.csv
        """)
      Issue.record("the configuration should be refused")
    } catch {
      let messages = error.problems.map(\.description)
      #expect(messages.contains { $0.contains(":6:") && $0.contains("feed name bad,name may only use") })
      #expect(messages.contains { $0.contains(":8:") && $0.contains("feed both has both file and url") })
      #expect(messages.contains { $0.contains(":13:") && $0.contains("unknown format stx (did you mean stix?)") })
      #expect(
        messages.contains { $0.contains(":16:") && $0.contains("confidence must be a whole number from 0 to 100") })
      #expect(messages.contains { $0.contains("feed name conf is used twice") })
      #expect(messages.contains { $0.contains(":20:") && $0.contains("unknown key vault") && $0.contains("vaults") })
    }
  }
}
