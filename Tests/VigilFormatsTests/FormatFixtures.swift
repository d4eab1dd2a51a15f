import Enrichment
import EventsAPIModel
import Foundation
import Testing
import VigilCore
import VigilJSON

enum FormatFixtures {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

  static let ingested = Timestamp(rfc3339: "2026-11-21T00:00:00Z") ?? Timestamp(seconds: 0)

  /// Every input with its stream.
  static let inputs: [(name: String, stream: EventStream)] = [
    ("signin-v1", .signInAttempts), ("signin-v2-firewall-unknown", .signInAttempts),
    ("itemusage-v1", .itemUsages), ("itemusage-v2-nulls-unknown", .itemUsages),
    ("audit-v1", .auditEvents), ("audit-v2-group-manager", .auditEvents), ("audit-v2-unknown", .auditEvents),
    ("audit-v2-mfa-disabled", .auditEvents),
  ]

  static func bytes(_ name: String) throws -> [UInt8] {
    var bytes = Array(try Data(contentsOf: directory.appendingPathComponent(name)))
    while bytes.last == 0x0A { bytes.removeLast() }
    return bytes
  }

  static func event(_ name: String, stream: EventStream) throws -> CanonicalEvent {
    let raw = try bytes(name + ".json")
    let document = try JSONDocument(bytes: raw)
    let wire = try #require(WireEvent(stream: stream, json: document.root))
    return try Normalizer.normalize(ReceivedEvent(event: wire, raw: raw), account: "acme", ingestedAt: ingested)
  }

  /// The same event as an enriched store would hold it: an ASN, a threat match, a network label and
  /// every lookup.
  static func enriched(_ name: String, stream: EventStream) throws -> CanonicalEvent {
    var event = try event(name, stream: stream)
    // What real sources would give: address data only with an address, names only for ids present.
    event.enrichment.geoSource = .event
    if let address = event.sourceIP {
      event.enrichment.asNumber = 29518
      event.enrichment.asOrganization = "Bredband2 AB"
      event.enrichment.network = "branch-vpn"
      event.enrichment.threat = ThreatMatch(
        feeds: ["tor-exits", "firehol_level1"], category: "tor", confidence: 90, indicator: address)
    }
    if event.vaultID != nil { event.enrichment.vaultName = "Production <secrets>" }
    if event.itemID != nil { event.enrichment.itemTitle = "AWS root" }
    if event.user.email != nil {
      event.enrichment.userDepartment = "Engineering"
      event.enrichment.userManager = "grace@example.com"
    }
    return event
  }
}
