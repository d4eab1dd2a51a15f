/// A country as Vigil stores it: ISO 3166-1 alpha-2 code plus display name. The API sends either a
/// code (the spec) or a full name (real data: "Canada", "France"); both resolve here.
package struct Country: Hashable, Sendable {
  package var code: String
  package var name: String

  package init(code: String, name: String) {
    self.code = code
    self.name = name
  }

  /// Resolves a code, a display name or a known alias, ignoring case and surrounding spaces.
  /// Unknown text is kept as the name with no code, so nothing the API said is lost.
  package static func resolve(_ text: String) -> Country? {
    let trimmed = text.trimmingSpaces
    guard !trimmed.isEmpty else { return nil }
    let key = trimmed.lowercased()
    if let index = index[key] {
      let entry = table[index]
      return Country(code: entry.code, name: entry.name)
    }
    return Country(code: "", name: trimmed)
  }

  /// The display name of an ISO code, if known.
  package static func name(ofCode code: String) -> String? {
    index[code.lowercased()].map { table[$0].name }
  }

  private static let index: [String: Int] = {
    var index: [String: Int] = [:]
    for (position, entry) in table.enumerated() {
      index[entry.code.lowercased()] = position
      index[entry.name.lowercased()] = position
      for alias in entry.aliases where index[alias.lowercased()] == nil { index[alias.lowercased()] = position }
    }
    return index
  }()
}
