import VigilCore

/// Parses the query language (see `docs/query.md`) into a ``Query``. Hand-written recursive descent
/// over characters, so that every error carries the position of the character that caused it.
/// Bounded: at most ``maximumLength`` characters and ``maximumDepth`` nested groups.
package struct QueryParser {
  package static let maximumLength = 10_000
  package static let maximumDepth = 64

  var text: [Character]
  var index = 0
  var depth = 0
  /// "Now" for relative times in values (`time:>now-1h`), in nanoseconds.
  let now: Int64

  package static func parse(_ query: String, now: Int64) throws(QueryError) -> Query {
    var parser = QueryParser(text: Array(query.prefix(maximumLength + 1)), now: now)
    guard parser.text.count <= maximumLength else {
      throw QueryError("the query is longer than \(maximumLength) characters", at: maximumLength)
    }
    return try parser.parseQuery()
  }

  mutating func parseQuery() throws(QueryError) -> Query {
    skipSpace()
    var filter = Filter.all
    if !atEnd, peek != "|" {
      filter = try parseOr(scope: nil)
    }
    skipSpace()
    var stages: [Stage] = []
    var positions: [Int] = []
    while !atEnd {
      guard peek == "|" else { throw QueryError(unexpected(), at: index) }
      index += 1
      positions.append(index)
      var stageParser = StageParser(text: text, index: index)
      stages.append(try stageParser.parseStage())
      index = stageParser.index
      skipSpace()
    }
    return Query(filter: filter, stages: stages, stagePositions: positions)
  }

  // MARK: - Boolean structure (shared by top level and field groups)

  /// `scope`: inside `field:( … )` the atoms are values of that field.
  mutating func parseOr(scope: Scope?) throws(QueryError) -> Filter {
    var items = [try parseAnd(scope: scope)]
    while keyword("OR") {
      index += 2
      items.append(try parseAnd(scope: scope))
    }
    return items.count == 1 ? items[0] : .or(items)
  }

  mutating func parseAnd(scope: Scope?) throws(QueryError) -> Filter {
    var items = [try parseUnary(scope: scope)]
    while true {
      skipSpace()
      if atEnd || peek == ")" || peek == "|" || keyword("OR") { break }
      if keyword("AND") { index += 3 }
      items.append(try parseUnary(scope: scope))
    }
    return items.count == 1 ? items[0] : .and(items)
  }

  mutating func parseUnary(scope: Scope?) throws(QueryError) -> Filter {
    skipSpace()
    guard !atEnd else { throw QueryError("the query ends where a term was expected", at: index) }
    if keyword("NOT") {
      index += 3
      return .not(try nested { (parser: inout QueryParser) throws(QueryError) in try parser.parseUnary(scope: scope) })
    }
    if peek == "-", index + 1 < text.count, !text[index + 1].isWhitespace, text[index + 1] != "-" {
      index += 1
      return .not(try nested { (parser: inout QueryParser) throws(QueryError) in try parser.parseUnary(scope: scope) })
    }
    if peek == "(" {
      let open = index
      index += 1
      let inner = try nested { (parser: inout QueryParser) throws(QueryError) in try parser.parseOr(scope: scope) }
      skipSpace()
      guard !atEnd, peek == ")" else { throw QueryError("this parenthesis is never closed", at: open) }
      index += 1
      return inner
    }
    if let scope { return try parseValue(for: scope) }
    return try parseTerm()
  }

  /// Runs `body` one nesting level deeper, refusing to go past ``maximumDepth``.
  mutating func nested(_ body: (inout QueryParser) throws(QueryError) -> Filter) throws(QueryError) -> Filter {
    depth += 1
    guard depth <= Self.maximumDepth else {
      throw QueryError("the query nests deeper than \(Self.maximumDepth) levels", at: index)
    }
    defer { depth -= 1 }
    return try body(&self)
  }

  // MARK: - Terms

  /// `field:value`, a stream shorthand, or free text.
  mutating func parseTerm() throws(QueryError) -> Filter {
    let start = index
    if peek == "\"" {
      let literal = try quoted()
      return .text(Pattern.escaping(literal))
    }
    let word = readWord(stopAtColon: true)
    guard !word.text.isEmpty else { throw QueryError(unexpected(), at: index) }
    if !atEnd, peek == ":" {
      index += 1
      let scope = try resolve(word.text, at: start)
      if !atEnd, peek == "(" {
        let open = index
        index += 1
        let inner = try nested { (parser: inout QueryParser) throws(QueryError) in
          parser.skipSpace()
          return try parser.parseOr(scope: scope)
        }
        skipSpace()
        guard !atEnd, peek == ")" else { throw QueryError("this parenthesis is never closed", at: open) }
        index += 1
        return inner
      }
      return try parseValue(for: scope)
    }
    if !word.escaped, let stream = Self.streamShorthand[word.text.lowercased()] {
      return .term(.field(FieldCatalog.stream.name), .equals(.string(stream)))
    }
    return .text(word.pattern)
  }

  /// The words that stand for a stream.
  static let streamShorthand: [String: String] = [
    "signin": "signinattempts", "signins": "signinattempts", "signinattempts": "signinattempts",
    "itemusage": "itemusages", "itemusages": "itemusages", "audit": "auditevents", "auditevents": "auditevents",
    // Elastic's dataset names, as SIEM users write them.
    "signin_attempts": "signinattempts", "item_usages": "itemusages", "audit_events": "auditevents",
  ]

  /// A field name or alias, or `raw.<path>`.
  func resolve(_ name: String, at position: Int) throws(QueryError) -> Scope {
    if name.hasPrefix("raw.") {
      let path = name.dropFirst(4).split(separator: ".", omittingEmptySubsequences: false).map(String.init)
      for segment in path
      where segment.isEmpty || segment.count > 128
        || !segment.unicodeScalars.allSatisfy(Self.isPathScalar)
      {
        throw QueryError(
          "a raw path is made of names of letters, digits and underscores separated by dots", at: position)
      }
      return Scope(target: .raw(path), field: nil, position: position)
    }
    guard let field = FieldCatalog.field(named: name) else {
      throw QueryError("unknown field '\(name)'", at: position, suggestion: Self.nearestField(name))
    }
    return Scope(target: .field(field.name), field: field, position: position)
  }

  static func isPathScalar(_ scalar: Unicode.Scalar) -> Bool {
    (scalar.value >= 65 && scalar.value <= 90) || (scalar.value >= 97 && scalar.value <= 122)
      || (scalar.value >= 48 && scalar.value <= 57) || scalar == "_"
  }

  static func nearestField(_ name: String) -> String? {
    nearest(name, in: FieldCatalog.fields.map(\.name) + FieldCatalog.fields.flatMap(\.aliases))
  }

  // MARK: - Values

  /// What follows `field:`: `*`, a comparison, a range, a quoted or bare value.
  mutating func parseValue(for scope: Scope) throws(QueryError) -> Filter {
    let start = index
    guard !atEnd, !peek.isWhitespace, peek != ")" else {
      throw QueryError("a value is missing after '\(name(of: scope)):'", at: index)
    }
    if peek == "[" || peek == "{" { return try parseRange(for: scope) }
    if peek == ">" || peek == "<" {
      var symbol = String(peek)
      index += 1
      if !atEnd, peek == "=" {
        symbol += "="
        index += 1
      }
      guard let comparison = Comparison(rawValue: symbol) else { throw QueryError(unexpected(), at: start) }
      let valueStart = index
      let value = try readValue()
      guard !value.text.isEmpty else { throw QueryError("a value is missing after '\(symbol)'", at: valueStart) }
      let literal = try ValueConverter(scope: scope, now: now).literal(value.text, at: valueStart)
      return .term(scope.target, .compare(comparison, literal))
    }
    if peek == "\"" {
      let literal = try quoted()
      return try ValueConverter(scope: scope, now: now).equality(literal, pattern: nil, at: start)
    }
    let value = try readValue()
    guard !value.text.isEmpty else { throw QueryError("a value is missing after '\(name(of: scope)):'", at: start) }
    if value.pattern == "*" { return .term(scope.target, .exists) }
    return try ValueConverter(scope: scope, now: now).equality(
      value.text, pattern: value.hasWildcard ? value.pattern : nil, at: start)
  }

  /// `[a TO b]` (inclusive), `{a TO b}` (exclusive) or a mix; `*` leaves a side open.
  mutating func parseRange(for scope: Scope) throws(QueryError) -> Filter {
    let open = index
    let lowerInclusive = peek == "["
    index += 1
    skipSpace()
    let lowerStart = index
    let lower = readWord(stopAtColon: false, stopAtBracket: true)
    skipSpace()
    guard word(at: index) == "TO" else {
      throw QueryError("a range is written [low TO high]", at: atEnd ? index : index)
    }
    index += 2
    skipSpace()
    let upperStart = index
    let upper = readWord(stopAtColon: false, stopAtBracket: true)
    skipSpace()
    guard !atEnd, peek == "]" || peek == "}" else { throw QueryError("this range is never closed", at: open) }
    let upperInclusive = peek == "]"
    index += 1
    let converter = ValueConverter(scope: scope, now: now)
    let low = lower.text == "*" ? nil : try converter.literal(lower.text, at: lowerStart)
    let high = upper.text == "*" ? nil : try converter.literal(upper.text, at: upperStart)
    switch (low, high) {
    case (let low?, let high?):
      return .term(
        scope.target, .range(lower: low, lowerInclusive: lowerInclusive, upper: high, upperInclusive: upperInclusive))
    case (let low?, nil): return .term(scope.target, .compare(lowerInclusive ? .greaterOrEqual : .greater, low))
    case (nil, let high?): return .term(scope.target, .compare(upperInclusive ? .lessOrEqual : .less, high))
    case (nil, nil): return .term(scope.target, .exists)
    }
  }

  // MARK: - Lexing

  struct Word {
    /// Escapes resolved.
    var text = ""
    /// Escapes of `*`, `?` and `\` kept, for wildcard patterns.
    var pattern = ""
    var hasWildcard = false
    var escaped = false
  }

  /// A bare word: up to whitespace, a parenthesis, a quote, a pipe (and a colon when asked).
  mutating func readWord(stopAtColon: Bool, stopAtBracket: Bool = false) -> Word {
    var word = Word()
    while !atEnd {
      let character = peek
      if character.isWhitespace || character == "(" || character == ")" || character == "\"" || character == "|" {
        break
      }
      if stopAtColon, character == ":" { break }
      if stopAtBracket, character == "]" || character == "}" { break }
      if character == "\\", index + 1 < text.count {
        let next = text[index + 1]
        word.text.append(next)
        word.pattern += next == "*" || next == "?" || next == "\\" ? "\\\(next)" : String(next)
        word.escaped = true
        index += 2
        continue
      }
      if character == "*" || character == "?" { word.hasWildcard = true }
      word.text.append(character)
      word.pattern.append(character)
      index += 1
    }
    return word
  }

  /// A value after `field:`: like a word, but colons belong to it (IPv6 addresses, times).
  mutating func readValue() throws(QueryError) -> Word {
    if !atEnd, peek == "\"" {
      let literal = try quoted()
      return Word(text: literal, pattern: Pattern.escaping(literal))
    }
    return readWord(stopAtColon: false)
  }

  /// A double-quoted string; `\"` and `\\` inside.
  mutating func quoted() throws(QueryError) -> String {
    let open = index
    index += 1
    var result = ""
    while !atEnd {
      let character = peek
      if character == "\"" {
        index += 1
        return result
      }
      if character == "\\", index + 1 < text.count {
        result.append(text[index + 1])
        index += 2
        continue
      }
      result.append(character)
      index += 1
    }
    throw QueryError("this quote is never closed", at: open)
  }

  mutating func skipSpace() {
    while !atEnd, peek.isWhitespace { index += 1 }
  }

  var atEnd: Bool { index >= text.count }
  var peek: Character { text[index] }

  /// Whether the upper-case keyword stands at the cursor as a word of its own.
  func keyword(_ keyword: String) -> Bool { word(at: index) == keyword }

  func word(at position: Int) -> String? {
    var end = position
    while end < text.count, end - position <= 3, !text[end].isWhitespace, text[end] != "(", text[end] != ")" {
      end += 1
    }
    guard end > position, end - position <= 3 else { return nil }
    return String(text[position..<end])
  }

  func unexpected() -> String {
    atEnd ? "the query ends unexpectedly" : "unexpected '\(text[index])'"
  }

  func name(of scope: Scope) -> String {
    switch scope.target {
    case .field(let name): name
    case .raw(let path): "raw." + path.joined(separator: ".")
    }
  }
}

/// The field a value belongs to, and where the field was named.
struct Scope {
  var target: Target
  var field: Field?
  var position: Int
}
