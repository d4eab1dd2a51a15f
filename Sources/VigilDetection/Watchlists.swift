import VigilCore

/// Named lists rules refer to (privileged vaults and groups, sensitive items, service accounts,
/// allowed apps, risky countries, known networks). Text entries compare without case; entries that
/// are addresses or CIDR blocks match any address inside them.
package struct Watchlists: Sendable {
  package struct List: Sendable {
    package var values: Set<String> = []
    package var networks: [IPNetwork] = []

    package init(_ entries: [String] = []) {
      for entry in entries { add(entry) }
    }

    package mutating func add(_ entry: String) {
      let trimmed = String(entry.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
      guard !trimmed.isEmpty else { return }
      if trimmed.contains("/"), let network = IPNetwork(trimmed) {
        networks.append(network)
      } else {
        values.insert(trimmed.lowercased())
      }
    }

    package var count: Int { values.count + networks.count }

    package func contains(_ text: String) -> Bool {
      if values.contains(text.lowercased()) { return true }
      guard !networks.isEmpty, let address = IPAddress(text) else { return false }
      return networks.contains { $0.contains(address) }
    }
  }

  package var lists: [String: List]

  package init(_ lists: [String: List] = [:]) { self.lists = lists }

  /// Whether `value` is on the list called `name` (false when there is no such list).
  package func contains(_ value: FieldValue, in name: String) -> Bool {
    guard let list = lists[name], let text = value.keyText else { return false }
    return list.contains(text)
  }

  /// The lists Vigil knows without configuration; the user's entries are added to them.
  package static let builtIn: [String: [String]] = [
    // Embargoed and high-risk jurisdictions named by the peers' rules (ISO 3166-1 alpha-2).
    "risky_countries": ["AF", "CN", "CU", "IR", "KP", "LY", "NG", "RU", "SD", "SY", "YE"],
    // 1Password's own apps and integrations, as `client.app` names them.
    "allowed_apps": [
      "1Password for Mac", "1Password for Windows", "1Password for Linux", "1Password for iOS",
      "1Password for Android", "1Password for Web", "1Password Browser Extension", "1Password CLI",
      "1Password SCIM Bridge", "1Password Connect", "1Password SDK", "1Password Events API",
    ],
    "privileged_vaults": [], "privileged_groups": [], "sensitive_items": [], "service_accounts": [],
    "known_networks": [],
  ]

  /// The built-in lists, with `extra` entries added by name.
  package static func standard(adding extra: [String: [String]] = [:]) -> Watchlists {
    var lists: [String: List] = [:]
    for (name, entries) in builtIn { lists[name] = List(entries) }
    for (name, entries) in extra {
      var list = lists[name] ?? List()
      for entry in entries { list.add(entry) }
      lists[name] = list
    }
    return Watchlists(lists)
  }
}
