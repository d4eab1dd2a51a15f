import Foundation
import VigilBase
import VigilCore
import VigilEmulatorCore
import VigilEnrichment
import VigilRuntime

/// The enrichment sources `vigil demo` ships for the emulated organisation, so that geo, ASN and
/// threat intel work offline: MaxMind-format City and ASN databases for the emulator's networks
/// (documentation ASNs 64496–64511, organisations labelled as demo data), a Tor exit list for the Tor
/// scenario's range, a hostile-network CSV feed and a network lookup table.
enum DemoEnrichment {
  static let files = (
    city: "intel/demo-city.mmdb", asn: "intel/demo-asn.mmdb", tor: "intel/tor-exit-addresses.txt",
    hostile: "intel/hostile-networks.csv", networks: "lookups/networks.csv"
  )

  /// Writes every file under `directory`.
  static func write(to directory: String) throws {
    for folder in ["intel", "lookups"] {
      try FileManager.default.createDirectory(atPath: directory + "/" + folder, withIntermediateDirectories: true)
    }
    var city = MMDBWriter(databaseType: "Vigil-Demo-City", recordSize: 28)
    var asn = MMDBWriter(databaseType: "Vigil-Demo-ASN", recordSize: 24)
    let cities =
      Geography.homeCities.map(\.0) + Geography.travelCities + Geography.hostileCities + [Geography.dataCentre]
    for (index, place) in cities.enumerated() {
      guard let network = IPNetwork("\(place.networkPrefix.0).\(place.networkPrefix.1).0.0/16") else { continue }
      city.insert(network, record(place))
      let hosting = place.name == Geography.dataCentre.name
      asn.insert(
        network,
        .map([
          "autonomous_system_number": .unsigned(UInt64(64496 + index % 14)),
          "autonomous_system_organization": .string(hosting ? "Demo Cloud Hosting" : "Demo ISP \(place.name)"),
        ]))
    }
    let tor = Geography.torExitPrefix
    if let exits = IPNetwork("\(tor.0).\(tor.1).\(tor.2).0/24") {
      asn.insert(
        exits,
        .map([
          "autonomous_system_number": .unsigned(64511),
          "autonomous_system_organization": .string("Demo Tor Exit Hosting"),
        ]))
    }
    try AtomicFile.write(city.build(), to: directory + "/" + files.city)
    try AtomicFile.write(asn.build(), to: directory + "/" + files.asn)
    var exitList = ""
    for host in 1...254 {
      exitList += "ExitNode DEMO\(host)\nExitAddress \(tor.0).\(tor.1).\(tor.2).\(host) 2026-01-01 00:00:00\n"
    }
    try AtomicFile.write(exitList, to: directory + "/" + files.tor)
    var hostile = "indicator,category,confidence\n"
    for place in Geography.hostileCities {
      hostile += "\(place.networkPrefix.0).\(place.networkPrefix.1).0.0/16,attacker-infrastructure,70\n"
    }
    try AtomicFile.write(hostile, to: directory + "/" + files.hostile)
    let office = Geography.homeCities[0].0
    let networks = """
      cidr,label
      \(office.networkPrefix.0).\(office.networkPrefix.1).0.0/16,\(office.name.lowercased())-office
      \(Geography.dataCentre.networkPrefix.0).\(Geography.dataCentre.networkPrefix.1).0.0/16,cloud

      """
    try AtomicFile.write(networks, to: directory + "/" + files.networks)
  }

  private static func record(_ place: City) -> MMDBValue {
    .map([
      "country": .map(["iso_code": .string(place.countryCode), "names": .map(["en": .string(place.countryName)])]),
      "subdivisions": .array([.map(["names": .map(["en": .string(place.region)])])]),
      "city": .map(["names": .map(["en": .string(place.name)])]),
      "location": .map(["latitude": .double(place.latitude), "longitude": .double(place.longitude)]),
    ])
  }

  /// The `enrichment:` section naming the files.
  static var configuration: String {
    """
    enrichment:
      geoip:
        city: \(files.city)
        asn: \(files.asn)
      feeds:
        - name: tor-exits
          file: \(files.tor)
          format: tor
          confidence: 90
        - name: hostile-networks
          file: \(files.hostile)
          format: csv
      lookups:
        networks: \(files.networks)

    """
  }
}
