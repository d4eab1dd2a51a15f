import PropertyBased
import Testing
import VigilBase
import VigilCore
import VigilEmulatorCore
import VigilTestSupport

@testable import VigilQuery

/// Hostile input: whatever the text, the parser returns a query or a positioned error, never
/// crashes, and the SQL it leads to carries every value as a bound parameter.
@Suite struct QueryFuzzTests {
  static let now: Int64 = 1_790_000_000 * 1_000_000_000

  /// Pieces that break naive parsers and naive SQL builders.
  static let tokens = [
    "user", "user.email", "ip", "source.ip", "action", "country", "time", "raw.client.app_name", "raw.a.b",
    "signin", "audit", "itemusage", ":", ":", ":>", ":>=", ":<", ":*", "*", "?", "\"", "\"", "'", "''", "(", ")",
    "[", "]", "{", "}", " TO ", "|", "| count", "| count by user", "| top 3 ip", "| timechart span=1h count",
    "| compare 1d", "| geo", "| sort -count", "| fields time, user", "| limit 5", "| stats count, dc(ip)",
    " AND ", " OR ", "NOT ", "-", "\\", ";", "--", "/*", "*/", "DROP TABLE events", "' OR 1=1 --", "\") OR (\"",
    "%", "_", "$1", "?1", "10.0.0.0/8", "2001:db8::/32", "::ffff:1.2.3.4", "now-1h", "2026-11-01", "1e309",
    "-9223372036854775808", "99999999999999999999", "é", "ß", "İ", "👩‍💻", "\u{202E}", "\u{0}", "\u{FEFF}", "\n",
    "\t", "   ", "a", "bob@example.com", "0",
  ]

  static let alphabet = Array(
    "abcXYZ019 :*?\"'()[]{}|\\-;%_$/.,=<>@#!~`^&+\n\t" + "éß😀\u{202E}\u{0}\u{301}")

  static let seeds = [
    "signin outcome:failure | top 10 user", "user:alice@example.com ip:10.0.0.0/8 -country:US",
    "itemusage action:(fill OR reveal) | count by app", "audit | rare 5 action",
    "time:[2026-11-01 TO now] | timechart span=1h count by outcome | compare 1d",
    "raw.client.app_name:\"1Password*\" | stats count, min(time), max(time) by user",
  ]

  static func hostile(_ random: inout SeededGenerator) -> String {
    switch Int.random(in: 0..<1000, using: &random) {
    case 0..<2:
      // Huge: up to and past the length limit.
      let length = Int.random(in: 5_000...12_000, using: &random)
      return String((0..<length).map { _ in random.pick(alphabet) })
    case 2..<400:
      return String((0..<Int.random(in: 0...80, using: &random)).map { _ in random.pick(alphabet) })
    case 400..<750:
      return (0..<Int.random(in: 1...14, using: &random)).map { _ in random.pick(tokens) }.joined()
    default:
      var characters = Array(random.pick(seeds))
      for _ in 0..<Int.random(in: 1...4, using: &random) {
        let position = Int.random(in: 0...characters.count, using: &random)
        switch Int.random(in: 0..<3, using: &random) {
        case 0: characters.insert(contentsOf: Array(random.pick(tokens)), at: position)
        case 1: if position < characters.count { characters.remove(at: position) }
        default: if position < characters.count { characters[position] = random.pick(alphabet) }
        }
      }
      return String(characters)
    }
  }

  @Test func hundredThousandHostileQueriesParseOrFailWithAPosition() throws {
    var random = SeededGenerator(seed: 0x5EED)
    var parsed = 0
    var refused = 0
    for _ in 0..<100_000 {
      let text = Self.hostile(&random)
      let range =
        random.chance(0.5)
        ? TimeRange.all : TimeRange(from: Self.now - Int64.random(in: 0...(90 * TimeExpression.day), using: &random))
      do {
        let plan = try Search.plan(text, range: range, now: Self.now)
        parsed += 1
        for dialect in SQLDialect.allCases {
          let builder = SearchSQL(dialect: dialect)
          if let aggregation = plan.aggregation {
            try Self.checkParameterized(builder.aggregate(plan, aggregation, range: plan.range, ordered: true), text)
            try Self.checkParameterized(builder.aggregate(plan, aggregation, range: plan.range, ordered: false), text)
          } else {
            try Self.checkParameterized(builder.listing(plan), text)
          }
        }
      } catch SearchError.query(let error, text: _) {
        refused += 1
        #expect(
          error.position >= 0 && error.position <= text.count, "position out of range for \(text.debugDescription)")
        #expect(!error.message.isEmpty)
        #expect(error.rendered(in: text).contains("^"))
      } catch {
        Issue.record("unexpected error for \(text.debugDescription): \(error)")
      }
    }
    // Both outcomes must be common, or the generator is not exploring.
    #expect(parsed > 10_000)
    #expect(refused > 10_000)
  }

  /// Words SQL may contain: keywords, functions, the schema's names and the builder's aliases. Any other
  /// word would be text from the query, i.e. an unbound value.
  static let vocabulary: Set<String> = {
    var words: Set<String> = [
      "SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "AS", "GROUP", "BY", "ORDER", "ASC", "DESC", "LIMIT", "UNION",
      "ALL", "IN", "IS", "NULL", "LIKE", "ILIKE", "ESCAPE", "BETWEEN", "CASE", "WHEN", "THEN", "ELSE", "END", "CAST",
      "TEXT", "BIGINT", "bigint", "FALSE", "NULLS", "FIRST", "LAST", "COALESCE", "NULLIF", "SUM", "COUNT", "DISTINCT",
      "MIN",
      "MAX", "AVG", "json_type", "json_extract", "jsonb_typeof", "convert_from", "jsonb", "text", "raw",
      "events", "src", "sequence", "bucket", "n", "lat", "lon", "located", "lat_sum", "lon_sum", "t",
    ]
    words.formUnion(FieldCatalog.fields.map(\.column))
    words.formUnion(FieldCatalog.fields.filter { $0.type == .ip }.map { $0.column + "_bin" })
    words.formUnion(Rollup.all.map(\.table))
    for index in 0..<64 { words.formUnion(["c\(index)", "g\(index)", "m\(index)"]) }
    return words
  }()

  /// The constant string literals the builder itself writes.
  static let literals: Set<String> = [
    "'\\'", "'text'", "'integer'", "'true'", "'false'", "'UTF8'", "'string'", "'boolean'", "'number'",
    "'^-?[0-9]{1,18}$'",
  ]

  struct Unparameterized: Error, CustomStringConvertible {
    var description: String
  }

  static func checkParameterized(_ statement: SQLStatement, _ query: String) throws {
    var sql = Substring(statement.sql)
    var placeholders = 0
    var numbered: Set<Int> = []
    var remaining = ""
    while let character = sql.first {
      if character == "'" {
        guard let close = sql.dropFirst().firstIndex(of: "'") else {
          throw Unparameterized(description: "unclosed literal in \(statement.sql) for \(query.debugDescription)")
        }
        let literal = String(sql[...close])
        guard literals.contains(literal) else {
          throw Unparameterized(description: "literal \(literal) in SQL for \(query.debugDescription)")
        }
        sql = sql[sql.index(after: close)...]
        remaining += " "
        continue
      }
      if character == "?" {
        placeholders += 1
      } else if character == "$" {
        let digits = sql.dropFirst().prefix { $0.isASCII && $0.isNumber }
        numbered.insert(Int(digits) ?? 0)
        sql = sql.dropFirst(digits.count + 1)
        remaining += " "
        continue
      }
      remaining.append(character)
      sql = sql.dropFirst()
    }
    let expected = statement.parameters.count
    // `?` once per value; `$n` numbered 1…count (a value may be used twice).
    let consistent =
      numbered.isEmpty ? placeholders == expected : placeholders == 0 && numbered == Set(1...max(1, expected))
    guard consistent || (expected == 0 && placeholders == 0 && numbered.isEmpty) else {
      throw Unparameterized(description: "\(placeholders) placeholders for \(expected) values: \(statement.sql)")
    }
    for forbidden in [";", "--", "/*", "\""] where remaining.contains(forbidden) {
      throw Unparameterized(description: "\(forbidden) in SQL for \(query.debugDescription): \(statement.sql)")
    }
    let words = remaining.split { !($0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_")) }
    for word in words where !vocabulary.contains(String(word)) && !word.allSatisfy(\.isNumber) {
      throw Unparameterized(description: "'\(word)' in SQL for \(query.debugDescription): \(statement.sql)")
    }
    for character in remaining where !character.isASCII {
      throw Unparameterized(description: "non-ASCII in SQL for \(query.debugDescription)")
    }
  }

  @Test func arbitraryUnicodeNeverCrashesTheParser() async {
    await propertyCheck(count: 2000, input: Gen<Character>.letterOrNumber.string(of: 0...40)) { text in
      do {
        _ = try Search.plan(text, now: Self.now)
      } catch SearchError.query(let error, text: _) {
        #expect(error.position <= text.count)
      } catch {
        Issue.record("\(error)")
      }
    }
  }
}
