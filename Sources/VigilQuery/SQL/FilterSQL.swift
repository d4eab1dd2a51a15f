import VigilCore

/// The SQL back end of the filter AST. Column names come from the catalog only; every value is bound.
/// Under a NOT, each leaf is made two-valued (`COALESCE(…, FALSE)`) so that an absent value counts as
/// "does not match", as the in-memory evaluator has it, instead of SQL's unknown.
struct FilterSQL {
  /// Where the filter runs: the events table, or a rollup (whose absent values SQLite stores as 0 and
  /// PostgreSQL as NULL).
  enum Source {
    case events
    case rollup(Rollup)
  }

  let source: Source
  let dialect: SQLDialect

  func condition(_ filter: Filter, _ builder: inout SQLBuilder, negated: Bool = false) -> String? {
    switch filter {
    case .all: return nil
    case .and(let items):
      let parts = items.compactMap { condition($0, &builder, negated: negated) }
      return parts.isEmpty ? nil : "(" + parts.joined(separator: " AND ") + ")"
    case .or(let items):
      var parts: [String] = []
      for item in items {
        guard let part = condition(item, &builder, negated: negated) else { return nil }  // OR with everything
        parts.append(part)
      }
      return "(" + parts.joined(separator: " OR ") + ")"
    case .not(let inner):
      guard let part = condition(inner, &builder, negated: true) else { return "FALSE" }
      return "NOT \(part)"
    case .text(let pattern):
      let like = Pattern.like([.anyRun] + Pattern.tokens(pattern) + [.anyRun])
      let parts = FieldCatalog.fields.filter(\.searchable).map { field in
        "\(column(field, equality: false)) \(builder.like) \(builder.bind(.text(like))) ESCAPE '\\'"
      }
      return twoValued("(" + parts.joined(separator: " OR ") + ")", negated)
    case .term(.raw(let path), let predicate):
      let value = builder.rawValue(path)
      return twoValued(leaf(value, binary: nil, predicate, type: .keyword, &builder), negated)
    case .term(.field(let name), let predicate):
      guard let field = FieldCatalog.field(named: name) else { return "FALSE" }
      let equality = if case .equals = predicate { true } else { false }
      let binary = field.type == .ip ? Self.binaryColumn(field) : nil
      return twoValued(
        leaf(column(field, equality: equality), binary: binary, predicate, type: field.type, &builder), negated)
    }
  }

  private func twoValued(_ condition: String, _ negated: Bool) -> String {
    negated ? "COALESCE(\(condition), FALSE)" : condition
  }

  private func leaf(
    _ column: String, binary: String?, _ predicate: Predicate, type: FieldType, _ builder: inout SQLBuilder
  ) -> String {
    switch predicate {
    case .exists: return "\(column) IS NOT NULL"
    case .wildcard(let pattern):
      return "\(column) \(builder.like) \(builder.bind(.text(Pattern.like(Pattern.tokens(pattern))))) ESCAPE '\\'"
    case .network(let network):
      let target = binary ?? column
      return
        "\(target) BETWEEN \(builder.bind(.blob(network.first.bytes))) AND \(builder.bind(.blob(network.last.bytes)))"
    case .equals(let literal):
      return "\(binary ?? column) = \(builder.bind(value(literal, type: type)))"
    case .compare(let comparison, let literal):
      return "\(binary ?? column) \(comparison.rawValue) \(builder.bind(value(literal, type: type)))"
    case .range(let lower, let lowerInclusive, let upper, let upperInclusive):
      let target = binary ?? column
      return "(\(target) \(lowerInclusive ? ">=" : ">") \(builder.bind(value(lower, type: type))) AND "
        + "\(target) \(upperInclusive ? "<=" : "<") \(builder.bind(value(upper, type: type))))"
    }
  }

  /// A field's column here; in SQLite's rollups absent values are 0, read back as NULL except for
  /// equality (which a 0 never meets, and which must use the key as it is to narrow the scan).
  func column(_ field: Field, equality: Bool) -> String {
    switch source {
    case .events: return field.column
    case .rollup where dialect == .postgres: return field.column
    case .rollup:
      return equality || Self.neverAbsent.contains(field.name) ? field.column : "NULLIF(\(field.column), 0)"
    }
  }

  static let neverAbsent: Set<String> = [FieldCatalog.stream.name, FieldCatalog.account.name]

  /// IP fields are compared through their 16-byte form (see ``IPAddress``), in rows of the events table.
  static func binaryColumn(_ field: Field) -> String { field.column + "_bin" }

  /// A literal bound as the column's type. A number compared with a text column: SQLite converts it
  /// to text itself; PostgreSQL refuses to compare text with a number, so it is bound as text.
  func value(_ literal: Literal, type: FieldType) -> SQLValue {
    let textColumn = dialect == .postgres && [.keyword, .text, .ip].contains(type)
    switch literal {
    case .string(let text):
      if type == .ip, let address = IPAddress(text) { return .blob(address.bytes) }
      return .text(text)
    case .integer(let number):
      if textColumn { return .text(String(number)) }
      return type == .double ? .double(Double(number)) : .integer(number)
    case .double(let number):
      if textColumn { return .text(String(number)) }
      return .double(number)
    case .time(let nanoseconds): return .integer(nanoseconds)
    }
  }
}
