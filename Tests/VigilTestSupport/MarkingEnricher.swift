import VigilCore

/// Marks events from one address as a threat and names their vault: a stand-in for a feed update.
package struct MarkingEnricher: EventEnricher {
  package var address: String
  package var feed: String

  package init(address: String, feed: String) {
    self.address = address
    self.feed = feed
  }

  package func enrich(_ event: inout CanonicalEvent, memo: inout EnrichmentMemo) {
    event.enrichment = Enrichment()
    if event.sourceIP == address {
      event.enrichment.threat = ThreatMatch(feeds: [feed], category: "test", confidence: 50, indicator: address)
      // A database filling a location: the rollups' map coordinates must follow.
      if event.geo.latitude == nil {
        event.geo.latitude = 1
        event.geo.longitude = 2
      }
    }
    if event.vaultID != nil { event.enrichment.vaultName = "Vault \(event.vaultID ?? "")" }
  }
}
