import VigilCore

/// SQL flavours the store speaks. Differences are small and kept here: placeholders, the ordering of
/// absent values, sums, JSON paths.
package enum SQLDialect: String, Sendable, CaseIterable {
  case sqlite
  case postgres
}

/// A value bound to a placeholder: queries never put a user's value into SQL text.
package enum SQLValue: Hashable, Sendable {
  case null
  case integer(Int64)
  case double(Double)
  case text(String)
  case blob([UInt8])
}

/// SQL text with its bound values, and what the rows it returns mean.
package struct SQLStatement: Hashable, Sendable {
  package var sql: String
  package var parameters: [SQLValue]
  /// Result columns in SELECT order, with how to read each.
  package var columns: [ResultColumn]
}

/// Accumulates bound values and hands out their placeholders.
struct SQLBuilder {
  let dialect: SQLDialect
  var parameters: [SQLValue] = []

  init(dialect: SQLDialect) { self.dialect = dialect }

  mutating func bind(_ value: SQLValue) -> String {
    parameters.append(value)
    return dialect == .sqlite ? "?" : "$\(parameters.count)"
  }

  /// `ORDER BY` direction; PostgreSQL orders absent values the other way round by default. A column
  /// that is never absent gets no `NULLS` clause: PostgreSQL reads an index backwards only for the
  /// plain direction, and a listing sorted `DESC NULLS LAST` would sort every match before its limit.
  func direction(_ descending: Bool, nullable: Bool = true) -> String {
    switch dialect {
    case .sqlite: descending ? "DESC" : "ASC"
    case .postgres where !nullable: descending ? "DESC" : "ASC"
    case .postgres: descending ? "DESC NULLS LAST" : "ASC NULLS FIRST"
    }
  }

  /// Case-insensitive matching: SQLite's `LIKE` folds ASCII letters; PostgreSQL needs `ILIKE` (which
  /// also folds other letters: the one documented difference between the dialects).
  var like: String { dialect == .sqlite ? "LIKE" : "ILIKE" }

  /// A sum of integers stays an integer.
  func integerSum(_ expression: String) -> String {
    dialect == .sqlite ? "SUM(\(expression))" : "CAST(SUM(\(expression)) AS BIGINT)"
  }

  /// The raw JSON as a comparable text value at a path (strings, integers, booleans; else NULL).
  mutating func rawValue(_ path: [String]) -> String {
    switch dialect {
    case .sqlite:
      let jsonPath = "$" + path.map { ".\"\($0)\"" }.joined()
      let json = "CAST(raw AS TEXT)"
      let type = bind(.text(jsonPath))
      let extract = bind(.text(jsonPath))
      let integer = bind(.text(jsonPath))
      return "(CASE json_type(\(json), \(type)) WHEN 'text' THEN json_extract(\(json), \(extract)) "
        + "WHEN 'integer' THEN CAST(json_extract(\(json), \(integer)) AS TEXT) WHEN 'true' THEN 'true' "
        + "WHEN 'false' THEN 'false' END)"
    case .postgres:
      let json = "convert_from(raw, 'UTF8')::jsonb"
      let array = "{" + path.joined(separator: ",") + "}"
      let type = bind(.text(array))
      let text = bind(.text(array))
      let number = bind(.text(array))
      let integer = bind(.text(array))
      return "(CASE jsonb_typeof(\(json) #> \(type)::text[]) WHEN 'string' THEN \(json) #>> \(text)::text[] "
        + "WHEN 'boolean' THEN \(json) #>> \(text)::text[] WHEN 'number' THEN (CASE WHEN \(json) #>> \(number)::text[] "
        + "~ '^-?[0-9]{1,18}$' THEN (\(json) #>> \(integer)::text[])::bigint::text END) END)"
    }
  }
}
