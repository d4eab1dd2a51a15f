import Foundation
import GRDB
import VigilCore
import VigilQuery

extension SQLiteEventStore: SearchStore {
  package func list(_ plan: SearchPlan, _ row: @escaping @Sendable (ResultRow) -> Bool) async throws(StoreError) {
    let statement = SearchSQL(dialect: .sqlite).listing(plan)
    try await read { db in
      let rows = try Row.fetchCursor(db, sql: statement.sql, arguments: Self.arguments(statement.parameters))
      while let values = try rows.next() {
        guard row(Self.decode(values, statement.columns)) else { break }
      }
    }
  }

  package func aggregate(_ plan: SearchPlan, _ aggregation: Aggregation, range: TimeRange, ordered: Bool)
    async throws(StoreError) -> [ResultRow]
  {
    let statement = SearchSQL(dialect: .sqlite).aggregate(plan, aggregation, range: range, ordered: ordered)
    return try await read { db in
      try Row.fetchAll(db, sql: statement.sql, arguments: Self.arguments(statement.parameters)).map {
        Self.decode($0, statement.columns)
      }
    }
  }

  /// The statement a plan runs as, its bound values, and the plan SQLite chooses (`vigil search --explain`).
  package func explain(_ plan: SearchPlan) async throws(StoreError) -> [String] {
    let sql = SearchSQL(dialect: .sqlite)
    let statement =
      plan.aggregation.map { sql.aggregate(plan, $0, range: plan.range, ordered: plan.compare == nil) }
      ?? sql.listing(plan)
    let steps = try await explain(statement)
    return [statement.sql, "parameters: " + statement.parameters.map { "\($0)" }.joined(separator: ", ")]
      + steps.map { "plan: " + $0 }
  }

  /// The query plan SQLite chooses for a statement (tests of index use).
  package func explain(_ statement: SQLStatement) async throws(StoreError) -> [String] {
    try await read { db in
      try Row.fetchAll(
        db, sql: "EXPLAIN QUERY PLAN " + statement.sql, arguments: Self.arguments(statement.parameters)
      ).map { $0["detail"] as String }
    }
  }

  static func arguments(_ values: [SQLValue]) -> StatementArguments {
    StatementArguments(
      values.map { value -> DatabaseValue in
        switch value {
        case .null: .null
        case .integer(let number): number.databaseValue
        case .double(let number): number.databaseValue
        case .text(let text): text.databaseValue
        case .blob(let bytes): Data(bytes).databaseValue
        }
      })
  }

  static func decode(_ row: Row, _ columns: [ResultColumn]) -> ResultRow {
    columns.indices.map { index in
      let value: DatabaseValue = row[index]
      switch value.storage {
      case .null: return nil
      case .int64(let number):
        switch columns[index].type {
        case .time: return .time(FieldValue.timestamp(nanoseconds: number))
        case .double: return .double(Double(number))
        case .keyword, .text, .ip: return .string(String(number))
        case .integer: return .integer(number)
        }
      case .double(let number):
        guard columns[index].type == .integer, let whole = Int64(exactly: number.rounded()) else {
          return .double(number)
        }
        return .integer(whole)
      case .string(let text): return .string(text)
      case .blob(let data): return .string(String(decoding: data, as: UTF8.self))
      }
    }
  }
}
