import VigilCore

/// The kinds of lookup table a user can give, each a CSV file with a header.
package enum LookupKind: String, Sendable, CaseIterable {
  /// `uuid,name`: vault UUID → vault name.
  case vaults
  /// `uuid,title`: item UUID → item title.
  case items
  /// `email` or `uuid`, then `department`, `manager`: who a user is in the organisation.
  case users
  /// `cidr,label`: address block → network label (office, VPN, cloud).
  case networks

  /// Accepted header names per column (first one is the documented name).
  var columns: [(name: String, accepted: [String], required: Bool)] {
    switch self {
    case .vaults:
      [("uuid", ["uuid", "vault_uuid", "vault", "id"], true), ("name", ["name", "vault_name", "title"], true)]
    case .items:
      [("uuid", ["uuid", "item_uuid", "item", "id"], true), ("title", ["title", "name", "item_title"], true)]
    case .users:
      [
        ("email", ["email", "user", "user_email", "uuid", "user_uuid", "id"], true),
        ("department", ["department", "dept"], false), ("manager", ["manager"], false),
      ]
    case .networks: [("cidr", ["cidr", "network", "ip", "block"], true), ("label", ["label", "name"], true)]
    }
  }
}

/// What a user row says.
package struct UserDetails: Hashable, Sendable {
  package var department: String?
  package var manager: String?
}

/// All lookup tables; each is empty when not configured.
package struct LookupTables: Sendable {
  package var vaults: [String: String] = [:]
  package var items: [String: String] = [:]
  /// Keyed by lower-cased email or by user uuid.
  package var users: [String: UserDetails] = [:]
  package var networkLabels: [String] = []
  package var networks = IPRangeIndex()

  package init() {}

  package func network(for address: IPAddress) -> String? { networks.lookup(address).map { networkLabels[$0] } }

  /// Parses one table; returns how many entries it holds and the rows it skipped.
  package mutating func load(_ kind: LookupKind, bytes: [UInt8]) throws(SourceError) -> Parsed<Void> {
    var reader = CSVReader(bytes)
    guard let header = try reader.next() else { throw .nothingUsable(problems: []) }
    let names = header.fields.map { $0.trimmingSpaces.lowercased() }
    var positions: [Int?] = []
    for column in kind.columns {
      let position = names.firstIndex { column.accepted.contains($0) }
      if position == nil, column.required {
        throw .missingColumn(column.accepted.joined(separator: " or "), header: names)
      }
      positions.append(position)
    }
    var parsed = Parsed<Void>()
    var blocks: [IPNetwork] = []
    var labels: [String] = []
    while let row = try reader.next() {
      func value(_ column: Int) -> String? {
        guard let position = positions[column], position < row.fields.count else { return nil }
        let text = row.fields[position].trimmingSpaces
        return text.isEmpty ? nil : String(text.prefix(256))
      }
      guard let key = value(0) else {
        parsed.skip(line: row.line, "no \(kind.columns[0].name) value")
        continue
      }
      switch kind {
      case .vaults, .items:
        guard let name = value(1) else {
          parsed.skip(line: row.line, "no \(kind.columns[1].name) for \(Lines.quoted(key))")
          continue
        }
        if kind == .vaults { vaults[key.lowercased()] = name } else { items[key.lowercased()] = name }
      case .users:
        users[key.lowercased()] = UserDetails(department: value(1), manager: value(2))
      case .networks:
        guard let network = IPNetwork(key) else {
          parsed.skip(line: row.line, "\(Lines.quoted(key)) is not an IP address or CIDR block")
          continue
        }
        guard let label = value(1) else {
          parsed.skip(line: row.line, "no label for \(key)")
          continue
        }
        blocks.append(network)
        labels.append(label)
      }
      parsed.entries.append(())
    }
    if kind == .networks {
      networks = IPRangeIndex(blocks)
      networkLabels = labels
    }
    return try parsed.requireEntries()
  }
}
