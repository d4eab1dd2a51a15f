import VigilCore
import VigilJSON

/// The in-memory back end of the filter AST: a compiled predicate over canonical events, for rules,
/// sink filters and the in-memory store. Agrees with the SQL back end on every event (a property test
/// holds them to it): same case rules, same string order, same treatment of absent values.
package struct MemoryFilter: Sendable {
  private let test: @Sendable (CanonicalEvent) -> Bool

  package init(_ filter: Filter) {
    test = Self.compile(filter)
  }

  package func matches(_ event: CanonicalEvent) -> Bool { test(event) }

  private static func compile(_ filter: Filter) -> @Sendable (CanonicalEvent) -> Bool {
    switch filter {
    case .all: return { _ in true }
    case .and(let items):
      let tests = items.map(compile)
      return { event in tests.allSatisfy { $0(event) } }
    case .or(let items):
      let tests = items.map(compile)
      return { event in tests.contains { $0(event) } }
    case .not(let inner):
      let test = compile(inner)
      return { event in !test(event) }
    case .text(let pattern):
      let tokens = [PatternToken.anyRun] + Pattern.tokens(pattern) + [.anyRun]
      let fields = FieldCatalog.fields.filter(\.searchable)
      return { event in
        fields.contains { field in
          if case .string(let value)? = field.value(event) { Pattern.matches(tokens, value) } else { false }
        }
      }
    case .term(.field(let name), let predicate):
      guard let field = FieldCatalog.field(named: name) else { return { _ in false } }
      let test = compile(predicate, type: field.type)
      return { event in test(field.value(event)) }
    case .term(.raw(let path), let predicate):
      let test = compile(predicate, type: .keyword)
      return { event in test(RawPath.value(path, in: event.raw)) }
    }
  }

  private static func compile(_ predicate: Predicate, type: FieldType) -> @Sendable (FieldValue?) -> Bool {
    switch predicate {
    case .exists: return { $0 != nil }
    case .wildcard(let pattern):
      let tokens = Pattern.tokens(pattern)
      return { value in
        if case .string(let text)? = value { Pattern.matches(tokens, text) } else { false }
      }
    case .network(let network):
      return { value in
        if case .string(let text)? = value, let address = IPAddress(text) { network.contains(address) } else { false }
      }
    case .equals(let literal):
      let expected = Self.value(literal, type: type)
      return { value in Self.order(value, expected, type: type).map { $0 == 0 } ?? false }
    case .compare(let comparison, let literal):
      let bound = Self.value(literal, type: type)
      return { value in
        guard let order = Self.order(value, bound, type: type) else { return false }
        switch comparison {
        case .less: return order < 0
        case .lessOrEqual: return order <= 0
        case .greater: return order > 0
        case .greaterOrEqual: return order >= 0
        }
      }
    case .range(let lower, let lowerInclusive, let upper, let upperInclusive):
      let low = Self.value(lower, type: type)
      let high = Self.value(upper, type: type)
      return { value in
        guard let a = Self.order(value, low, type: type), let b = Self.order(value, high, type: type) else {
          return false
        }
        return (lowerInclusive ? a >= 0 : a > 0) && (upperInclusive ? b <= 0 : b < 0)
      }
    }
  }

  private static func value(_ literal: Literal, type: FieldType) -> FieldValue {
    switch literal {
    case .string(let text): .string(text)
    case .integer(let number): type == .double ? .double(Double(number)) : .integer(number)
    case .double(let number): .double(number)
    case .time(let nanoseconds): .time(FieldValue.timestamp(nanoseconds: nanoseconds))
    }
  }

  /// How an event's value orders against a literal; nil when the value is absent (or, for IP fields,
  /// not an address): such events match no comparison, as in SQL.
  private static func order(_ value: FieldValue?, _ literal: FieldValue, type: FieldType) -> Int? {
    guard let value else { return nil }
    if type == .ip {
      guard case .string(let text) = value, case .string(let other) = literal, let a = IPAddress(text),
        let b = IPAddress(other)
      else { return nil }
      return a == b ? 0 : a < b ? -1 : 1
    }
    return RowOrder.compare(value, literal)
  }
}

/// Values at `raw.<path>`: JSON strings as themselves, integers in decimal, `true`/`false`; other JSON
/// (reals, objects, arrays, null) has no comparable value but objects and arrays exist.
package enum RawPath {
  package static func value(_ path: [String], in raw: [UInt8]) -> FieldValue? {
    guard let document = try? JSONDocument(bytes: raw) else { return nil }
    var node = document.root
    for segment in path {
      guard node.kind == .object, let child = node[segment] else { return nil }
      node = child
    }
    switch node.kind {
    case .string: return node.string.map(FieldValue.string)
    case .true: return .string("true")
    case .false: return .string("false")
    case .number:
      let text = String(decoding: node.rawBytes, as: UTF8.self)
      guard !text.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }), let integer = Int64(text) else {
        return nil
      }
      return .string(String(integer))
    case .object, .array, .null: return nil
    }
  }
}
