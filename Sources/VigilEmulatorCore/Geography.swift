import VigilBase

/// A city where people work, with real coordinates, the fields 1Password's geolocation reports, its
/// UTC offset (for work-hour rhythms) and a /16 from which plausible residential addresses are drawn.
package struct City: Sendable, Hashable {
  package var name: String
  package var region: String
  package var countryCode: String
  package var countryName: String
  package var latitude: Double
  package var longitude: Double
  package var utcOffsetHours: Int
  package var networkPrefix: (UInt8, UInt8)

  package static func == (lhs: City, rhs: City) -> Bool { lhs.name == rhs.name && lhs.countryCode == rhs.countryCode }
  package func hash(into hasher: inout Hasher) {
    hasher.combine(name)
    hasher.combine(countryCode)
  }

  package func address(using generator: inout SeededGenerator) -> String {
    "\(networkPrefix.0).\(networkPrefix.1).\(UInt8.random(in: 0...255, using: &generator)).\(UInt8.random(in: 1...254, using: &generator))"
  }
}

package enum Geography {
  /// Offices and home cities. Weights make most staff sit in a few hubs, as in real companies.
  package static let homeCities: [(City, Double)] = [
    (
      City(
        name: "Toronto", region: "Ontario", countryCode: "CA", countryName: "Canada", latitude: 43.6532,
        longitude: -79.3832, utcOffsetHours: -5, networkPrefix: (99, 232)), 14
    ),
    (
      City(
        name: "Montreal", region: "Quebec", countryCode: "CA", countryName: "Canada", latitude: 45.5019,
        longitude: -73.5674, utcOffsetHours: -5, networkPrefix: (70, 81)), 5
    ),
    (
      City(
        name: "Vancouver", region: "British Columbia", countryCode: "CA", countryName: "Canada", latitude: 49.2827,
        longitude: -123.1207, utcOffsetHours: -8, networkPrefix: (24, 86)), 4
    ),
    (
      City(
        name: "New York", region: "New York", countryCode: "US", countryName: "United States", latitude: 40.7128,
        longitude: -74.0060, utcOffsetHours: -5, networkPrefix: (72, 229)), 12
    ),
    (
      City(
        name: "San Francisco", region: "California", countryCode: "US", countryName: "United States", latitude: 37.7749,
        longitude: -122.4194, utcOffsetHours: -8, networkPrefix: (73, 158)), 9
    ),
    (
      City(
        name: "Austin", region: "Texas", countryCode: "US", countryName: "United States", latitude: 30.2672,
        longitude: -97.7431, utcOffsetHours: -6, networkPrefix: (70, 114)), 5
    ),
    (
      City(
        name: "Chicago", region: "Illinois", countryCode: "US", countryName: "United States", latitude: 41.8781,
        longitude: -87.6298, utcOffsetHours: -6, networkPrefix: (98, 213)), 5
    ),
    (
      City(
        name: "Seattle", region: "Washington", countryCode: "US", countryName: "United States", latitude: 47.6062,
        longitude: -122.3321, utcOffsetHours: -8, networkPrefix: (67, 183)), 4
    ),
    (
      City(
        name: "London", region: "England", countryCode: "GB", countryName: "United Kingdom", latitude: 51.5074,
        longitude: -0.1278, utcOffsetHours: 0, networkPrefix: (81, 102)), 8
    ),
    (
      City(
        name: "Dublin", region: "Leinster", countryCode: "IE", countryName: "Ireland", latitude: 53.3498,
        longitude: -6.2603, utcOffsetHours: 0, networkPrefix: (86, 44)), 3
    ),
    (
      City(
        name: "Berlin", region: "Berlin", countryCode: "DE", countryName: "Germany", latitude: 52.5200,
        longitude: 13.4050, utcOffsetHours: 1, networkPrefix: (91, 64)), 4
    ),
    (
      City(
        name: "Paris", region: "Île-de-France", countryCode: "FR", countryName: "France", latitude: 48.8566,
        longitude: 2.3522, utcOffsetHours: 1, networkPrefix: (90, 12)), 3
    ),
    (
      City(
        name: "Amsterdam", region: "North Holland", countryCode: "NL", countryName: "Netherlands", latitude: 52.3676,
        longitude: 4.9041, utcOffsetHours: 1, networkPrefix: (84, 241)), 3
    ),
    (
      City(
        name: "Lisbon", region: "Lisbon", countryCode: "PT", countryName: "Portugal", latitude: 38.7223,
        longitude: -9.1393, utcOffsetHours: 0, networkPrefix: (85, 241)), 2
    ),
    (
      City(
        name: "Madrid", region: "Madrid", countryCode: "ES", countryName: "Spain", latitude: 40.4168,
        longitude: -3.7038, utcOffsetHours: 1, networkPrefix: (83, 56)), 2
    ),
    (
      City(
        name: "Stockholm", region: "Stockholm", countryCode: "SE", countryName: "Sweden", latitude: 59.3293,
        longitude: 18.0686, utcOffsetHours: 1, networkPrefix: (83, 248)), 2
    ),
    (
      City(
        name: "São Paulo", region: "São Paulo", countryCode: "BR", countryName: "Brazil", latitude: -23.5505,
        longitude: -46.6333, utcOffsetHours: -3, networkPrefix: (177, 33)), 2
    ),
    (
      City(
        name: "Buenos Aires", region: "Buenos Aires", countryCode: "AR", countryName: "Argentina", latitude: -34.6037,
        longitude: -58.3816, utcOffsetHours: -3, networkPrefix: (181, 47)), 1
    ),
    (
      City(
        name: "Bengaluru", region: "Karnataka", countryCode: "IN", countryName: "India", latitude: 12.9716,
        longitude: 77.5946, utcOffsetHours: 5, networkPrefix: (106, 51)), 3
    ),
    (
      City(
        name: "Singapore", region: "Singapore", countryCode: "SG", countryName: "Singapore", latitude: 1.3521,
        longitude: 103.8198, utcOffsetHours: 8, networkPrefix: (116, 86)), 2
    ),
    (
      City(
        name: "Tokyo", region: "Tokyo", countryCode: "JP", countryName: "Japan", latitude: 35.6762, longitude: 139.6503,
        utcOffsetHours: 9, networkPrefix: (126, 74)), 2
    ),
    (
      City(
        name: "Sydney", region: "New South Wales", countryCode: "AU", countryName: "Australia", latitude: -33.8688,
        longitude: 151.2093, utcOffsetHours: 10, networkPrefix: (101, 184)), 2
    ),
    (
      City(
        name: "Auckland", region: "Auckland", countryCode: "NZ", countryName: "New Zealand", latitude: -36.8485,
        longitude: 174.7633, utcOffsetHours: 12, networkPrefix: (122, 56)), 1
    ),
  ]

  /// Places travellers sign in from now and then.
  package static let travelCities: [City] = [
    City(
      name: "Mexico City", region: "Mexico City", countryCode: "MX", countryName: "Mexico", latitude: 19.4326,
      longitude: -99.1332, utcOffsetHours: -6, networkPrefix: (187, 189)),
    City(
      name: "Rome", region: "Lazio", countryCode: "IT", countryName: "Italy", latitude: 41.9028, longitude: 12.4964,
      utcOffsetHours: 1, networkPrefix: (79, 20)),
    City(
      name: "Barcelona", region: "Catalonia", countryCode: "ES", countryName: "Spain", latitude: 41.3874,
      longitude: 2.1686, utcOffsetHours: 1, networkPrefix: (88, 12)),
    City(
      name: "Honolulu", region: "Hawaii", countryCode: "US", countryName: "United States", latitude: 21.3069,
      longitude: -157.8583, utcOffsetHours: -10, networkPrefix: (66, 8)),
    City(
      name: "Reykjavik", region: "Capital Region", countryCode: "IS", countryName: "Iceland", latitude: 64.1466,
      longitude: -21.9426, utcOffsetHours: 0, networkPrefix: (85, 220)),
  ]

  /// Where attacks in the scenarios come from.
  package static let hostileCities: [City] = [
    City(
      name: "Moscow", region: "Moscow", countryCode: "RU", countryName: "Russia", latitude: 55.7558, longitude: 37.6173,
      utcOffsetHours: 3, networkPrefix: (95, 165)),
    City(
      name: "Lagos", region: "Lagos", countryCode: "NG", countryName: "Nigeria", latitude: 6.5244, longitude: 3.3792,
      utcOffsetHours: 1, networkPrefix: (102, 89)),
    City(
      name: "Shenzhen", region: "Guangdong", countryCode: "CN", countryName: "China", latitude: 22.5431,
      longitude: 114.0579, utcOffsetHours: 8, networkPrefix: (113, 87)),
    City(
      name: "Tehran", region: "Tehran", countryCode: "IR", countryName: "Iran", latitude: 35.6892, longitude: 51.3890,
      utcOffsetHours: 3, networkPrefix: (5, 160)),
  ]

  /// A data-centre location for service accounts and Connect servers.
  package static let dataCentre = City(
    name: "Ashburn", region: "Virginia", countryCode: "US", countryName: "United States", latitude: 39.0438,
    longitude: -77.4874, utcOffsetHours: -5, networkPrefix: (3, 91))

  /// Addresses in a range publicly listed as Tor exits (used by the Tor scenario).
  package static let torExitPrefix: (UInt8, UInt8, UInt8) = (185, 220, 101)
}
