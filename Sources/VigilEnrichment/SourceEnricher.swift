import VigilCore

/// The enrichment Vigil applies at ingest, from one snapshot of the configured sources: geo and ASN
/// databases, threat feeds, lookup tables. Immutable, so collectors share it and a reload swaps it.
package struct SourceEnricher: EventEnricher {
  package var city: IPDatabase?
  package var asn: IPDatabase?
  package var feeds = ThreatFeedSet([])
  package var lookups = LookupTables()

  package init() {}

  package func enrich(_ event: inout CanonicalEvent, memo: inout EnrichmentMemo) {
    var enrichment = Enrichment()
    let hasLocation = event.geo.countryCode != nil || event.geo.countryName != nil || event.geo.latitude != nil
    enrichment.geoSource = hasLocation ? .event : nil
    if let text = event.sourceIP, let facts = memo.facts(for: text, find: { facts(for: text) }) {
      if let geo = facts.geo, fillGeo(&event.geo, from: geo) { enrichment.geoSource = .mmdb }
      enrichment.asNumber = facts.asNumber
      enrichment.asOrganization = facts.asOrganization
      enrichment.threat = facts.threat
      enrichment.network = facts.network
    }
    if let vault = event.vaultID { enrichment.vaultName = lookups.vaults[vault.lowercased()] }
    if let item = event.itemID { enrichment.itemTitle = lookups.items[item.lowercased()] }
    let user =
      event.user.email.flatMap { lookups.users[$0.lowercased()] }
      ?? event.user.id.flatMap {
        lookups.users[$0.lowercased()]
      }
    enrichment.userDepartment = user?.department
    enrichment.userManager = user?.manager
    event.enrichment = enrichment
  }

  /// Everything the sources say about an address; nil when the text is not an address.
  func facts(for text: String) -> AddressFacts? {
    guard let address = IPAddress(text) else { return nil }
    var facts = AddressFacts()
    facts.geo = ((try? city?.record(for: address)) ?? nil)?.geo
    let asRecord = (try? asn?.record(for: address)) ?? nil
    facts.asNumber = asRecord?.asNumber
    facts.asOrganization = asRecord?.asOrganization
    facts.threat = feeds.match(address)
    facts.network = lookups.network(for: address)
    return facts
  }

  /// Fills what the event's own location lacks. The API's location wins: a database's answer is used
  /// only where the event says nothing, and not at all when its country disagrees with the event's.
  /// True when the database added something.
  func fillGeo(_ geo: inout Geo, from record: Geo) -> Bool {
    if let code = geo.countryCode, let other = record.countryCode, code != other { return false }
    var added = false
    func fill<T>(_ slot: inout T?, _ value: T?) {
      if slot == nil, let value {
        slot = value
        added = true
      }
    }
    fill(&geo.countryCode, record.countryCode)
    fill(&geo.countryName, record.countryCode.flatMap(Country.name(ofCode:)) ?? record.countryName)
    fill(&geo.region, record.region)
    fill(&geo.city, record.city)
    if geo.latitude == nil, geo.longitude == nil,
      let (lat, lon) = Geo.validCoordinates(latitude: record.latitude, longitude: record.longitude)
    {
      geo.latitude = lat
      geo.longitude = lon
      added = true
    }
    return added
  }
}
