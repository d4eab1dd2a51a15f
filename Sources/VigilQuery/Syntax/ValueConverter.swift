import VigilCore

/// Turns a value as written into a typed literal for its field, or a positioned error that says what
/// the field expects.
struct ValueConverter {
  let scope: Scope
  let now: Int64

  /// `field:value` (or a wildcard pattern when the value has unescaped `*` or `?`).
  func equality(_ text: String, pattern: String?, at position: Int) throws(QueryError) -> Filter {
    guard let field = scope.field else {
      // Raw paths: compared as text.
      if let pattern { return .term(scope.target, .wildcard(pattern)) }
      return .term(scope.target, .equals(.string(text)))
    }
    switch field.type {
    case .keyword, .text:
      if let pattern { return .term(scope.target, .wildcard(pattern)) }
      if field.name == FieldCatalog.stream.name, let stream = QueryParser.streamShorthand[text.lowercased()] {
        return .term(scope.target, .equals(.string(stream)))
      }
      return .term(scope.target, .equals(.string(text)))
    case .ip:
      if let pattern { return .term(scope.target, .wildcard(pattern)) }
      if text.contains("/") {
        guard let network = IPNetwork(text) else {
          throw QueryError("'\(text.prefix(60))' is not a CIDR block such as 10.0.0.0/8", at: position)
        }
        return .term(scope.target, .network(network))
      }
      guard let address = IPAddress(text) else {
        throw QueryError(
          "'\(text.prefix(60))' is not an IP address (use a wildcard such as 10.1.* for partial matches)", at: position)
      }
      return .term(scope.target, .equals(.string(address.description)))
    case .time:
      if pattern != nil { throw QueryError("\(field.name) is a time: wildcards do not apply", at: position) }
      // A date alone means that whole UTC day.
      if let day = TimeExpression.date(text) {
        return .term(
          scope.target,
          .range(
            lower: .time(day), lowerInclusive: true, upper: .time(day + TimeExpression.day), upperInclusive: false))
      }
      return .term(scope.target, .equals(try literal(text, at: position)))
    case .integer, .double:
      if pattern != nil { throw QueryError("\(field.name) is a number: wildcards do not apply", at: position) }
      return .term(scope.target, .equals(try literal(text, at: position)))
    }
  }

  /// A literal of the field's type (comparisons and range bounds).
  func literal(_ text: String, at position: Int) throws(QueryError) -> Literal {
    guard let field = scope.field else {
      throw QueryError("raw paths support only equality, wildcards and '*'", at: scope.position)
    }
    switch field.type {
    case .keyword, .text: return .string(text)
    case .ip:
      guard let address = IPAddress(text) else {
        throw QueryError("'\(text.prefix(60))' is not an IP address", at: position)
      }
      return .string(address.description)
    case .integer:
      guard let value = Int64(text) else {
        throw QueryError("\(field.name) expects a whole number, not '\(text.prefix(60))'", at: position)
      }
      return .integer(value)
    case .double:
      guard text.count <= 40, let value = Double(text), value.isFinite else {
        throw QueryError("\(field.name) expects a number, not '\(text.prefix(60))'", at: position)
      }
      return .double(value)
    case .time:
      guard let value = TimeExpression.instant(text, now: now) else {
        throw QueryError(
          "\(field.name) expects a time such as 2026-11-01, 2026-11-01T09:30:00Z or now-1h, not '\(text.prefix(60))'",
          at: position)
      }
      return .time(value)
    }
  }
}
