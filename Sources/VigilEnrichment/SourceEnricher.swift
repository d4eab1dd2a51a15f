import VigilCore

/// The enrichment Vigil applies at ingest, from one snapshot of the configured sources: geo and ASN
/// databases, threat feeds, lookup tables. Immutable, so collectors share it and a reload swaps it.
package struct SourceEnricher: EventEnricher {
  package var city: IPDatabase?
  package var asn: IPDatabase?
  package var feeds = ThreatFeedSet([])
  package var lookups = LookupTables()

  package init() {}

  package func enrich(_ event: inout CanonicalEvent) {
    var enrichment = Enrichment()
    let hasLocation = event.geo.countryCode != nil || event.geo.countryName != nil || event.geo.latitude != nil
    enrichment.geoSource = hasLocation ? .event : nil
    if let text = event.sourceIP, let address = IPAddress(text) {
      if let record = try? city?.record(for: address), fillGeo(&event.geo, from: record.geo) {
        enrichment.geoSource = .mmdb
      }
      let asRecord = (try? asn?.record(for: address)) ?? nil
      enrichment.asNumber = asRecord?.asNumber
      enrichment.asOrganization = asRecord?.asOrganization
      enrichment.threat = feeds.match(address)
      enrichment.network = lookups.network(for: address)
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
