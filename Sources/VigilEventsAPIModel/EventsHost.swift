/// The Events API hosts 1Password runs, one per region and plan.
package enum EventsHost: String, CaseIterable, Sendable {
  case business = "events.1password.com"
  case enterprise = "events.ent.1password.com"
  case canada = "events.1password.ca"
  case europe = "events.1password.eu"

  package var region: String {
    switch self {
    case .business: "1password.com (US, Business)"
    case .enterprise: "ent.1password.com (US, Enterprise)"
    case .canada: "1password.ca (Canada)"
    case .europe: "1password.eu (Europe)"
    }
  }

  package var baseURL: String { "https://\(rawValue)" }
}
