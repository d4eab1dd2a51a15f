import VigilCore

/// What a City, Country or ASN database says about an address, in the fields Vigil keeps.
package struct IPRecord: Hashable, Sendable {
  package var geo = Geo()
  package var asNumber: Int?
  package var asOrganization: String?

  package init() {}
}

/// A MaxMind-format database read for the fields of ``IPRecord``: GeoIP2/GeoLite2 City and Country
/// (`country`, `subdivisions`, `city`, `location`) and ASN (`autonomous_system_number`,
/// `autonomous_system_organization`); other databases in the same layout work too.
package struct IPDatabase: Sendable {
  package let reader: MMDBReader

  package init(bytes: [UInt8]) throws(MMDBError) { reader = try MMDBReader(bytes: bytes) }

  package var metadata: MMDBReader.Metadata { reader.metadata }

  /// The record for an address; nil when the database has nothing for it. A record that fails to
  /// decode (corrupt file) is an error the caller reports once and treats as no data.
  package func record(for address: IPAddress) throws(MMDBError) -> IPRecord? {
    guard let (value, _) = try reader.lookup(address) else { return nil }
    var record = IPRecord()
    let country = value["country"] ?? value["registered_country"]
    record.geo.countryCode = country?["iso_code"]?.string
    record.geo.countryName = country?["names", "en"]?.string
    if case .array(let subdivisions)? = value["subdivisions"], let first = subdivisions.first {
      record.geo.region = first["names", "en"]?.string
    }
    record.geo.city = value["city", "names", "en"]?.string
    record.geo.latitude = value["location", "latitude"]?.number
    record.geo.longitude = value["location", "longitude"]?.number
    record.asNumber = value["autonomous_system_number"]?.integer
    record.asOrganization = value["autonomous_system_organization"]?.string
    return record
  }
}
