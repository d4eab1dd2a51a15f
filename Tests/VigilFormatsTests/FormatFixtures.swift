import Foundation
import Testing
import VigilBase
import VigilCore
import VigilEnrichment
import VigilEventsAPIModel
import VigilJSON
import VigilTestSupport

enum FormatFixtures {
  /// Golden outputs live beside these tests; the inputs are the shared wire fixtures.
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

  /// Every input with its stream.
  static let inputs: [(name: String, stream: EventStream)] = [
    ("signin-v1", .signInAttempts), ("signin-v2-firewall-unknown", .signInAttempts),
    ("itemusage-v1", .itemUsages), ("itemusage-v2-nulls-unknown", .itemUsages),
    ("audit-v1", .auditEvents), ("audit-v2-group-manager", .auditEvents), ("audit-v2-unknown", .auditEvents),
    ("audit-v2-mfa-disabled", .auditEvents),
  ]

  static func bytes(_ name: String) throws -> [UInt8] { try WireFixtures.bytes(name) }

  static func event(_ name: String, stream: EventStream) throws -> CanonicalEvent {
    try WireFixtures.event(name + ".json", stream: stream)
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
