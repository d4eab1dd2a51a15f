import VigilBase

/// Business trips of the benign organisation, planned per member and week so that any day can tell
/// where a member is: a travel day without activity, a few days in a travel city, a travel day back.
/// A benign member therefore never signs in from two distant cities within hours (that is the
/// impossible-travel scenario's job).
enum Trip {
  enum Whereabouts {
    case home
    case flying
    case away(City, address: String)

    /// Where the member works that day: nil while travelling.
    func place(home member: Organisation.Member) -> (City, String)? {
      switch self {
      case .home: (member.home, member.homeAddress)
      case .flying: nil
      case .away(let city, let address): (city, address)
      }
    }
  }

  /// About one week in twelve holds a trip: out on day 1 or 2 of the week, 1–3 days away, back the day
  /// after (within the week, so a week's plan never spills into the next).
  static func whereabouts(of member: Organisation.Member, day: Int, seed: UInt64, account: Int) -> Whereabouts {
    let week = day >= 0 ? day / 7 : (day - 6) / 7
    var random = SeededGenerator(seed: seed, purpose: "trip-\(account)-\(member.uuid)", index: week)
    guard random.chance(1.0 / 12) else { return .home }
    let outbound = week * 7 + Int.random(in: 1...2, using: &random)
    let nights = Int.random(in: 1...3, using: &random)
    let city = random.pick(Geography.travelCities)
    let address = city.address(using: &random)
    if day == outbound || day == outbound + nights + 1 { return .flying }
    if day > outbound, day <= outbound + nights { return .away(city, address: address) }
    return .home
  }
}
