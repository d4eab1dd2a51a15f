/// The threat-feed file formats Vigil reads.
package enum FeedFormat: String, Sendable, CaseIterable {
  /// One address or CIDR block per line; `#` and `;` start comments (FireHOL netsets, Spamhaus DROP,
  /// the Tor bulk exit list, most blocklists).
  case list
  /// CSV with a header naming an indicator column (`indicator`, `ip`, `cidr` or `network`) and optional
  /// `category` and `confidence` (0–100) columns.
  case csv
  /// The Tor Project's exit-address list (`ExitAddress 192.0.2.1 2026-11-20 10:00:00` lines).
  case tor
  /// A STIX 2.1 bundle: indicator objects whose patterns compare `ipv4-addr:value` or
  /// `ipv6-addr:value` (revoked and expired indicators are skipped).
  case stix
}

/// A line (or STIX object) of a feed or lookup file that could not be used, and why.
package struct SourceProblem: Hashable, Sendable, CustomStringConvertible {
  /// 1-based line number (for STIX, the object's position in the bundle).
  package var line: Int
  package var message: String

  package init(line: Int, message: String) {
    self.line = line
    self.message = message
  }

  package var description: String { "line \(line): \(message)" }
}

/// Why a feed or lookup file cannot be used at all.
package enum SourceError: Error, Hashable, Sendable, CustomStringConvertible {
  /// Nothing usable in the file; the first problems say why.
  case nothingUsable(problems: [SourceProblem])
  case missingColumn(String, header: [String])
  case tooLarge(String)
  case unreadable(String)
  case invalidJSON(String)

  package var description: String {
    switch self {
    case .nothingUsable(let problems):
      problems.isEmpty
        ? "the file has no entries"
        : "no usable entries: " + problems.prefix(3).map(\.description).joined(separator: "; ")
    case .missingColumn(let column, let header):
      "no \(column) column in the header (found: \(header.prefix(20).map { Lines.quoted($0) }.joined(separator: ", ")))"
    case .tooLarge(let detail): "too large: \(detail)"
    case .unreadable(let detail): "cannot be read: \(detail)"
    case .invalidJSON(let detail): "not valid JSON: \(detail)"
    }
  }
}

/// What parsing a source gave: its entries and the lines it skipped (at most the first 20 kept).
package struct Parsed<Entry: Sendable>: Sendable {
  package var entries: [Entry] = []
  package var problems: [SourceProblem] = []
  package var skipped = 0

  static var problemLimit: Int { 20 }

  mutating func skip(line: Int, _ message: String) {
    skipped += 1
    if problems.count < Self.problemLimit { problems.append(SourceProblem(line: line, message: message)) }
  }

  /// Throws when lines were given but none was usable.
  func requireEntries() throws(SourceError) -> Parsed<Entry> {
    if entries.isEmpty, skipped > 0 { throw .nothingUsable(problems: problems) }
    return self
  }
}
