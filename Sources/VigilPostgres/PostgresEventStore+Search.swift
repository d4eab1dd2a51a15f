import Foundation
import Logging
import NIOCore
import PostgresNIO
import VigilBase
import VigilCore
import VigilQuery

/// Search through the query language's PostgreSQL dialect: the same plans, the same rollups.
extension PostgresEventStore: SearchStore {
  package func list(_ plan: SearchPlan, _ row: @escaping @Sendable (ResultRow) -> Bool) async throws(StoreError) {
    let statement = SearchSQL(dialect: .postgres).listing(plan)
    try await stream(statement) { cells in row(Self.decode(cells, statement.columns)) }
  }

  package func aggregate(_ plan: SearchPlan, _ aggregation: Aggregation, range: TimeRange, ordered: Bool)
    async throws(StoreError) -> [ResultRow]
  {
    let statement = SearchSQL(dialect: .postgres).aggregate(plan, aggregation, range: range, ordered: ordered)
    return try await rows(statement.sql, Self.binds(statement.parameters)).map {
      Self.decode($0, statement.columns)
    }
  }

  package func events(matching plan: SearchPlan, _ each: @escaping @Sendable (CanonicalEvent) throws -> Bool)
    async throws -> Int
  {
    let statement = SearchSQL(dialect: .postgres).listing(plan, selecting: Self.eventColumns)
    var count = 0
    var failure: (any Error)?
    try await stream(statement) { cells in
      guard let stored = Self.storedEvent(row: cells) else { return true }
      count += 1
      do {
        return try each(stored.event)
      } catch {
        failure = error
        return false
      }
    }
    if let failure { throw failure }
    return count
  }

  package func explain(_ plan: SearchPlan) async throws(StoreError) -> [String] {
    let sql = SearchSQL(dialect: .postgres)
    let statement =
      plan.aggregation.map { sql.aggregate(plan, $0, range: plan.range, ordered: plan.compare == nil) }
      ?? sql.listing(plan)
    let steps = try await rows("EXPLAIN " + statement.sql, Self.binds(statement.parameters)).compactMap {
      try? $0[0].decode(String.self)
    }
    return [statement.sql, "parameters: " + statement.parameters.map { "\($0)" }.joined(separator: ", ")]
      + steps.map { "plan: " + $0 }
  }

  /// Reads a statement's rows as they arrive; `each` returns false to stop early.
  private func stream(_ statement: SQLStatement, _ each: (PostgresRandomAccessRow) -> Bool) async throws(StoreError) {
    let query = PostgresQuery(unsafeSQL: statement.sql, binds: Self.binds(statement.parameters))
    let logger = self.logger
    do {
      try await client.withConnection { connection in
        let rows = try await connection.guarded { try await connection.query(query, logger: logger) }
        for try await row in rows {
          guard each(row.makeRandomAccess()) else { break }
        }
      }
    } catch {
      throw storeError(error)
    }
  }

  static func binds(_ values: [SQLValue]) -> PostgresBindings {
    var binds = PostgresBindings(capacity: values.count)
    for value in values {
      switch value {
      case .null: binds.appendNull()
      case .integer(let number): binds.append(number)
      case .double(let number): binds.append(number)
      case .text(let text): binds.append(text.withoutNUL)
      case .blob(let bytes): binds.append(ByteBuffer(bytes: bytes))
      }
    }
    return binds
  }

  /// A row as the result columns' types say, whatever type PostgreSQL gave each value (a sum of
  /// integers is `numeric`, a count `bigint`).
  static func decode(_ row: PostgresRandomAccessRow, _ columns: [ResultColumn]) -> ResultRow {
    columns.indices.map { index in
      let cell = row[index]
      guard cell.bytes != nil else { return nil }
      let type = columns[index].type
      switch cell.dataType {
      case .int8, .int4, .int2:
        guard let number = try? cell.decode(Int64.self) else { return nil }
        switch type {
        case .time: return .time(FieldValue.timestamp(nanoseconds: number))
        case .double: return .double(Double(number))
        case .keyword, .text, .ip: return .string(String(number))
        case .integer: return .integer(number)
        }
      case .float8, .float4, .numeric:
        let number: Double
        if cell.dataType == .numeric {
          guard let decimal = try? cell.decode(Decimal.self) else { return nil }
          number = NSDecimalNumber(decimal: decimal).doubleValue
        } else {
          guard let value = try? cell.decode(Double.self) else { return nil }
          number = value
        }
        guard type == .integer, let whole = Int64(exactly: number.rounded()) else { return .double(number) }
        return .integer(whole)
      case .bytea:
        guard let bytes = try? cell.decode(ByteBuffer.self) else { return nil }
        return .string(String(decoding: bytes.readableBytesView, as: UTF8.self))
      case .bool:
        guard let value = try? cell.decode(Bool.self) else { return nil }
        return .string(value ? "true" : "false")
      default:
        guard let text = try? cell.decode(String.self) else { return nil }
        return .string(text)
      }
    }
  }
}
