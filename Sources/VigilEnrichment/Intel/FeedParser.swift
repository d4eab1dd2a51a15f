import VigilBase
import VigilCore
import VigilEventsAPIModel
import VigilJSON

/// Parses threat feeds. Lines that are not indicators are skipped and reported with their line
/// number; a file with no usable line at all is an error.
package enum FeedParser {
  /// Longest line read; anything longer is a problem, not a reason to allocate.
  static let maximumLineLength = 8192
  /// Indicators per feed.
  static let maximumIndicators = 10_000_000

  package static func parse(
    _ bytes: [UInt8], format: FeedFormat, category: String? = nil, confidence: Int? = nil, now: Timestamp
  ) throws(SourceError) -> Parsed<ThreatIndicator> {
    switch format {
    case .list: try list(bytes, category: category, confidence: confidence)
    case .csv: try csv(bytes, category: category, confidence: confidence)
    case .tor: try tor(bytes, category: category ?? "tor", confidence: confidence)
    case .stix: try stix(bytes, category: category, confidence: confidence, now: now)
    }
  }

  static func list(_ bytes: [UInt8], category: String?, confidence: Int?) throws(SourceError) -> Parsed<
    ThreatIndicator
  > {
    var parsed = Parsed<ThreatIndicator>()
    try Lines.forEach(bytes) { (number, line) throws(SourceError) in
      guard let line else { return parsed.skip(line: number, "longer than \(maximumLineLength) bytes") }
      var text = Substring(line)
      if let comment = text.firstIndex(where: { $0 == "#" || $0 == ";" }) { text = text[..<comment] }
      let token = text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," }).first
      guard let token else { return }
      guard let network = IPNetwork(token) else {
        parsed.skip(line: number, "\(Lines.quoted(token)) is not an IP address or CIDR block")
        return
      }
      try append(ThreatIndicator(network: network, category: category, confidence: confidence), to: &parsed)
    }
    return try parsed.requireEntries()
  }

  static func csv(_ bytes: [UInt8], category: String?, confidence: Int?) throws(SourceError) -> Parsed<
    ThreatIndicator
  > {
    var parsed = Parsed<ThreatIndicator>()
    var reader = CSVReader(bytes)
    guard let header = try reader.next() else { throw .nothingUsable(problems: []) }
    let names = header.fields.map { $0.trimmingSpaces.lowercased() }
    guard let indicatorColumn = names.firstIndex(where: { ["indicator", "ip", "cidr", "network"].contains($0) })
    else { throw .missingColumn("indicator (or ip, cidr, network)", header: names) }
    let categoryColumn = names.firstIndex(where: { ["category", "type", "threat"].contains($0) })
    let confidenceColumn = names.firstIndex(where: { ["confidence", "score"].contains($0) })
    while let row = try reader.next() {
      if row.fields.allSatisfy({ $0.trimmingSpaces.isEmpty }) { continue }
      guard indicatorColumn < row.fields.count else {
        parsed.skip(line: row.line, "has \(row.fields.count) columns; the indicator is column \(indicatorColumn + 1)")
        continue
      }
      let value = row.fields[indicatorColumn].trimmingSpaces
      guard let network = IPNetwork(value) else {
        parsed.skip(line: row.line, "\(Lines.quoted(value)) is not an IP address or CIDR block")
        continue
      }
      var indicator = ThreatIndicator(network: network, category: category, confidence: confidence)
      if let column = categoryColumn, column < row.fields.count, !row.fields[column].trimmingSpaces.isEmpty {
        indicator.category = String(row.fields[column].trimmingSpaces.prefix(64))
      }
      if let column = confidenceColumn, column < row.fields.count, !row.fields[column].trimmingSpaces.isEmpty {
        guard let score = Int(row.fields[column].trimmingSpaces), (0...100).contains(score) else {
          parsed.skip(line: row.line, "confidence \(Lines.quoted(row.fields[column])) is not a whole number 0–100")
          continue
        }
        indicator.confidence = score
      }
      try append(indicator, to: &parsed)
    }
    return try parsed.requireEntries()
  }

  static func tor(_ bytes: [UInt8], category: String, confidence: Int?) throws(SourceError) -> Parsed<
    ThreatIndicator
  > {
    var parsed = Parsed<ThreatIndicator>()
    var sawKeyword = false
    try Lines.forEach(bytes) { (number, line) throws(SourceError) in
      guard let line else { return parsed.skip(line: number, "longer than \(maximumLineLength) bytes") }
      let words = line.split(separator: " ")
      guard let keyword = words.first else { return }
      switch keyword {
      case "ExitAddress":
        sawKeyword = true
        guard words.count >= 2, let address = IPAddress(words[1]) else {
          parsed.skip(line: number, "ExitAddress without a valid address")
          return
        }
        try append(
          ThreatIndicator(
            network: IPNetwork(address: address, prefixLength: 128), category: category, confidence: confidence),
          to: &parsed)
      case "ExitNode", "Published", "LastStatus":
        sawKeyword = true
      default:
        parsed.skip(line: number, "\(Lines.quoted(keyword)) is not a Tor exit-list keyword")
      }
    }
    if !sawKeyword, parsed.entries.isEmpty, parsed.skipped > 0 {
      throw .nothingUsable(
        problems: [SourceProblem(line: 1, message: "not a Tor exit-address list; use format: list for plain lists")])
    }
    return try parsed.requireEntries()
  }

  static func stix(_ bytes: [UInt8], category: String?, confidence: Int?, now: Timestamp) throws(SourceError) -> Parsed<
    ThreatIndicator
  > {
    let document: JSONDocument
    do { document = try JSONDocument(bytes: bytes) } catch { throw .invalidJSON("\(error)") }
    let root = document.root
    guard root["type"]?.string == "bundle", let objects = root["objects"]?.elements else {
      throw .nothingUsable(problems: [
        SourceProblem(line: 1, message: "not a STIX bundle (type \"bundle\" with objects)")
      ])
    }
    var parsed = Parsed<ThreatIndicator>()
    for (position, object) in objects.enumerated() {
      let number = position + 1
      guard object["type"]?.string == "indicator" else { continue }
      if object["revoked"]?.bool == true { continue }
      if let until = object["valid_until"]?.string.flatMap({ Timestamp(rfc3339: $0) }), until < now { continue }
      guard object["pattern_type"]?.string ?? "stix" == "stix", let pattern = object["pattern"]?.string else {
        parsed.skip(line: number, "indicator without a STIX pattern")
        continue
      }
      let addresses = StixPattern.addresses(in: pattern)
      guard !addresses.isEmpty else {
        parsed.skip(line: number, "pattern has no ipv4-addr or ipv6-addr value: \(Lines.quoted(pattern))")
        continue
      }
      var label = category
      if let types = object["indicator_types"]?.elements, let first = Array(types).first?.string {
        label = first
      } else if let labels = object["labels"]?.elements, let first = Array(labels).first?.string {
        label = first
      }
      var score = confidence
      if let value = object["confidence"]?.int, (0...100).contains(value) { score = value }
      for address in addresses {
        guard let network = IPNetwork(address) else {
          parsed.skip(line: number, "\(Lines.quoted(address)) is not an IP address or CIDR block")
          continue
        }
        try append(
          ThreatIndicator(network: network, category: label.map { String($0.prefix(64)) }, confidence: score),
          to: &parsed)
      }
    }
    return try parsed.requireEntries()
  }

  private static func append(_ indicator: ThreatIndicator, to parsed: inout Parsed<ThreatIndicator>) throws(SourceError)
  {
    guard parsed.entries.count < maximumIndicators else {
      throw .tooLarge("more than \(maximumIndicators) indicators in one feed")
    }
    parsed.entries.append(indicator)
  }
}

/// Reads the addresses a STIX pattern compares: `[ipv4-addr:value = '198.51.100.1' OR
/// ipv6-addr:value = '2001:db8::/32']`. Other comparisons are ignored.
enum StixPattern {
  static func addresses(in pattern: String) -> [String] {
    var found: [String] = []
    var rest = Substring(pattern)
    while let range = rest.firstRange(of: "-addr:value") {
      let before = rest[..<range.lowerBound]
      let kind = before.suffix(4)
      rest = rest[range.upperBound...]
      guard kind == "ipv4" || kind == "ipv6" else { continue }
      let afterSpaces = rest.drop { $0 == " " }
      guard afterSpaces.first == "=" else { continue }
      let value = afterSpaces.dropFirst().drop { $0 == " " }
      guard value.first == "'", let end = value.dropFirst().firstIndex(of: "'") else { continue }
      found.append(String(value[value.index(after: value.startIndex)..<end]))
      rest = value[end...]
    }
    return found
  }
}
