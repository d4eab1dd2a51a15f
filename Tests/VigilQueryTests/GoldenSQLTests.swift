import Foundation
import Testing
import VigilCore
import VigilTestSupport

@testable import VigilQuery

/// The SQL each kind of query becomes, in both dialects, checked against reviewed files: a change in
/// generated SQL is a diff someone reads. `VIGIL_UPDATE_GOLDEN=1 swift test --filter GoldenSQLTests`
/// rewrites the file after an intended change.
@Suite struct GoldenSQLTests {
  static let now: Int64 = 1_790_000_000_000_000_000
  static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/golden-sql.txt")

  static let cases: [(query: String, range: TimeRange)] = [
    ("", .all),
    ("signin outcome:failure", TimeRange(from: now - 86_400_000_000_000)),
    ("user:alice@example.com -action:(fill OR reveal) | fields time, user, ip | sort -time | limit 20", .all),
    ("ip:10.0.0.0/8 OR ip:2001:db8::1", .all),
    ("app:*Browser* \"Zoë\" raw.client.app_name:1Password", .all),
    ("item.version:[2 TO 5} geo.lat:>=40.5 time:>=2026-11-01", .all),
    ("NOT (user:* OR country:DE)", .all),
    ("signin | count by action", TimeRange(from: now - 30 * 86_400_000_000_000 + 1_234_567, to: now)),
    ("signin outcome:failure | top 10 user", TimeRange(from: now - 30 * 86_400_000_000_000 + 1_234_567, to: now)),
    ("signin | timechart span=1h count by outcome | compare 1d", TimeRange(from: now - 2 * 86_400_000_000_000)),
    ("signin | geo", .all),
    ("audit | rare 5 action", .all),
    ("| stats count, dc(user), min(time), max(time), avg(item.version) by stream", .all),
    ("itemusage \"vault\" | dc(ip) by user", .all),
  ]

  static func render() throws -> String {
    var text = ""
    for (query, range) in cases {
      let plan = try Search.plan(query, range: range, now: now)
      text += "### \(query)\nrange: \(range.from.map(String.init) ?? "")..\(range.to.map(String.init) ?? "")\n"
      for dialect in SQLDialect.allCases {
        let builder = SearchSQL(dialect: dialect)
        let statement =
          plan.aggregation.map { builder.aggregate(plan, $0, range: plan.range, ordered: plan.compare == nil) }
          ?? builder.listing(plan)
        text += "\(dialect.rawValue): \(statement.sql)\n"
        text += "parameters: " + statement.parameters.map(Self.describe).joined(separator: ", ") + "\n"
      }
      text += "\n"
    }
    return text
  }

  static func describe(_ value: SQLValue) -> String {
    switch value {
    case .null: "NULL"
    case .integer(let number): String(number)
    case .double(let number): String(number)
    case .text(let text): "'\(text)'"
    case .blob(let bytes):
      "x'" + bytes.map { String($0, radix: 16) }.map { $0.count == 1 ? "0" + $0 : $0 }.joined() + "'"
    }
  }

  @Test func generatedSQLMatchesTheReviewedFile() throws {
    let rendered = try Self.render()
    if ProcessInfo.processInfo.environment["VIGIL_UPDATE_GOLDEN"] == "1" {
      try rendered.write(to: Self.fixture, atomically: false, encoding: .utf8)
    }
    let expected = try String(contentsOf: Self.fixture, encoding: .utf8)
    #expect(rendered == expected, "generated SQL changed; review and rerun with VIGIL_UPDATE_GOLDEN=1")
  }
}
