import VigilCore

/// Parses one pipeline stage after a `|`: `count by f`, `top 10 f`, `stats count, dc(f) by g`,
/// `timechart span=1h count by f`, `compare 1d`, `geo [by f]`, `sort -f`, `fields a, b`, `limit N`.
struct StageParser {
  let text: [Character]
  var index: Int

  static let names = ["count", "top", "rare", "dc", "stats", "timechart", "compare", "geo", "sort", "fields", "limit"]
  static let maximumLimit = 10_000_000

  init(text: [Character], index: Int) {
    self.text = text
    self.index = index
  }

  mutating func parseStage() throws(QueryError) -> Stage {
    skipSpace()
    let start = index
    let name = readName()
    guard !name.isEmpty else { throw QueryError("a stage name is missing after '|'", at: start) }
    let stage: Stage
    switch name {
    case "count":
      stage = .aggregate(Aggregation(groups: try optionalGroups(), metrics: [.count]))
    case "top", "rare":
      let count = try optionalNumber(default: 10, maximum: 10_000)
      let field = try fieldName()
      stage = .aggregate(
        Aggregation(
          groups: [field], metrics: [.count], ranking: .init(count: count, ascending: name == "rare")))
    case "dc":
      index = start
      let metric = try parseMetric()
      stage = .aggregate(Aggregation(groups: try optionalGroups(), metrics: [metric]))
    case "stats":
      let metrics = try metricList()
      stage = .aggregate(Aggregation(groups: try optionalGroups(), metrics: metrics))
    case "timechart":
      var span: Int64 = 0
      skipSpace()
      if lookahead("span") {
        _ = readName()
        try expect("=")
        let spanStart = index
        let word = readName()
        guard let duration = TimeExpression.duration(word), duration >= TimeExpression.second else {
          throw QueryError("span= expects a duration such as 5m, 1h or 1d", at: spanStart)
        }
        span = duration
      }
      skipSpace()
      var metrics: [Metric] = [.count]
      if !atEnd, peek != "|", !lookahead("by") { metrics = try metricList() }
      let groups = try optionalGroups()
      guard groups.count <= 1 else { throw QueryError("timechart splits by one field at most", at: start) }
      stage = .aggregate(Aggregation(span: span, groups: groups, metrics: metrics))
    case "geo":
      // `geo by geo.city`: the same mean coordinates per another place (a map's points).
      var groups = try optionalGroups()
      if groups.isEmpty { groups = [FieldCatalog.countryCode.name, FieldCatalog.countryName.name] }
      stage = .aggregate(Aggregation(groups: groups, metrics: [.count], coordinates: true))
    case "compare":
      skipSpace()
      let spanStart = index
      let word = readName()
      guard let duration = TimeExpression.duration(word) else {
        throw QueryError("compare expects a duration such as 1d or 7d", at: spanStart)
      }
      stage = .compare(duration)
    case "sort":
      var keys: [SortKey] = []
      repeat {
        skipSpace()
        var descending = false
        if !atEnd, peek == "-" || peek == "+" {
          descending = peek == "-"
          index += 1
        }
        keys.append(SortKey(try columnName(), descending: descending))
      } while consume(",")
      stage = .sort(keys)
    case "fields":
      var names: [String] = []
      repeat { names.append(try columnName()) } while consume(",")
      stage = .fields(names)
    case "limit":
      skipSpace()
      guard !atEnd, peek.isASCII, peek.isNumber else { throw QueryError("limit expects a number", at: index) }
      stage = .limit(try optionalNumber(default: 0, maximum: Self.maximumLimit))
    default:
      throw QueryError("unknown stage '\(name)'", at: start, suggestion: nearest(name, in: Self.names))
    }
    skipSpace()
    guard atEnd || peek == "|" else { throw QueryError("unexpected '\(peek)' in the \(name) stage", at: index) }
    return stage
  }

  // MARK: - Pieces

  mutating func optionalGroups() throws(QueryError) -> [String] {
    skipSpace()
    guard lookahead("by") else { return [] }
    _ = readName()
    var groups: [String] = []
    repeat { groups.append(try fieldName()) } while consume(",")
    guard groups.count <= 8 else { throw QueryError("group by at most 8 fields", at: index) }
    return groups
  }

  mutating func metricList() throws(QueryError) -> [Metric] {
    var metrics: [Metric] = []
    repeat { metrics.append(try parseMetric()) } while consume(",")
    guard metrics.count <= 16 else { throw QueryError("at most 16 metrics", at: index) }
    return metrics
  }

  /// `count`, `dc(f)`, `min(f)`, `max(f)`, `sum(f)`, `avg(f)`.
  mutating func parseMetric() throws(QueryError) -> Metric {
    skipSpace()
    let start = index
    let name = readName()
    if name == "count" { return .count }
    let functions = ["dc", "min", "max", "sum", "avg"]
    guard functions.contains(name) else {
      throw QueryError(
        name.isEmpty ? "a metric is missing" : "unknown metric '\(name)'", at: start,
        suggestion: nearest(name, in: functions + ["count"]))
    }
    try expect("(")
    let field = try fieldName()
    try expect(")")
    guard let type = FieldCatalog.field(named: field)?.type else { throw QueryError("unknown field", at: start) }
    if name == "sum" || name == "avg", type != .integer, type != .double {
      throw QueryError("\(name)() needs a numeric field; \(field) is \(type.rawValue)", at: start)
    }
    switch name {
    case "dc": return .distinct(field)
    case "min": return .min(field)
    case "max": return .max(field)
    case "sum": return .sum(field)
    default: return .average(field)
    }
  }

  /// A catalog field (name or alias), as its canonical name.
  mutating func fieldName() throws(QueryError) -> String {
    skipSpace()
    let start = index
    let name = readName()
    guard !name.isEmpty else { throw QueryError("a field name is missing", at: start) }
    guard let field = FieldCatalog.field(named: name) else {
      throw QueryError("unknown field '\(name)'", at: start, suggestion: QueryParser.nearestField(name))
    }
    return field.name
  }

  /// A result column for `sort`/`fields`: a field (canonical name), a metric such as `dc(f)`, `count`,
  /// `_time`, or a `.previous` column of `compare`. Checked against the actual columns by the planner.
  mutating func columnName() throws(QueryError) -> String {
    skipSpace()
    let start = index
    let name = readName()
    guard !name.isEmpty else { throw QueryError("a column name is missing", at: start) }
    if !atEnd, peek == "(" {
      index = start
      let metric = try parseMetric()
      var column = metric.description
      if consumeSuffix(".previous") { column += ".previous" }
      return column
    }
    if let field = FieldCatalog.field(named: name) { return field.name }
    return name
  }

  mutating func optionalNumber(default value: Int, maximum: Int) throws(QueryError) -> Int {
    skipSpace()
    guard !atEnd, peek.isASCII, peek.isNumber else { return value }
    let start = index
    var digits = ""
    while !atEnd, peek.isASCII, peek.isNumber, digits.count < 12 {
      digits.append(peek)
      index += 1
    }
    guard let number = Int(digits), number >= 0, number <= maximum else {
      throw QueryError("expects a number from 0 to \(maximum)", at: start)
    }
    return number
  }

  /// Letters, digits, `.`, `_`, `@`: names of stages, fields, metrics and durations.
  mutating func readName() -> String {
    skipSpace()
    var name = ""
    while !atEnd, peek.isASCII, peek.isLetter || peek.isNumber || peek == "." || peek == "_" || peek == "@" {
      name.append(peek)
      index += 1
    }
    return name
  }

  mutating func consumeSuffix(_ suffix: String) -> Bool {
    guard startsWith(suffix) else { return false }
    index += suffix.count
    return true
  }

  /// Whether `word` stands at the cursor as a whole word.
  func lookahead(_ word: String) -> Bool {
    guard startsWith(word) else { return false }
    let after = index + word.count
    return after == text.count || !(text[after].isLetter || text[after].isNumber || text[after] == "_")
  }

  private func startsWith(_ prefix: String) -> Bool {
    let characters = Array(prefix)
    return index + characters.count <= text.count && Array(text[index..<index + characters.count]) == characters
  }

  mutating func expect(_ character: Character) throws(QueryError) {
    skipSpace()
    guard !atEnd, peek == character else { throw QueryError("expected '\(character)'", at: index) }
    index += 1
  }

  mutating func consume(_ character: Character) -> Bool {
    skipSpace()
    guard !atEnd, peek == character else { return false }
    index += 1
    return true
  }

  mutating func skipSpace() {
    while !atEnd, peek.isWhitespace { index += 1 }
  }

  var atEnd: Bool { index >= text.count }
  var peek: Character { text[index] }
}
