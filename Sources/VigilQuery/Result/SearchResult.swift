import VigilCore

/// One result row: values in the plan's column order (nil: the event has no such value).
package typealias ResultRow = [FieldValue?]

/// What a search returns: typed columns and rows. Listings may be streamed row by row instead.
package struct SearchResult: Hashable, Sendable {
  package var columns: [ResultColumn]
  package var rows: [ResultRow]

  package init(columns: [ResultColumn], rows: [ResultRow]) {
    self.columns = columns
    self.rows = rows
  }
}

package struct ResultColumn: Hashable, Sendable {
  package var name: String
  package var type: FieldType

  package init(name: String, type: FieldType) {
    self.name = name
    self.type = type
  }
}

/// The one row order both back ends follow: values of a column compare by type (strings by their
/// UTF-8 bytes, as SQLite's BINARY collation does); an absent value sorts first ascending, last
/// descending.
package enum RowOrder {
  package static func compare(_ a: FieldValue?, _ b: FieldValue?) -> Int {
    switch (a, b) {
    case (nil, nil): return 0
    case (nil, _): return -1
    case (_, nil): return 1
    case (let a?, let b?): return compare(a, b)
    }
  }

  static func compare(_ a: FieldValue, _ b: FieldValue) -> Int {
    switch (a, b) {
    case (.string(let x), .string(let y)):
      if x == y { return 0 }
      return x.utf8.lexicographicallyPrecedes(y.utf8) ? -1 : 1
    case (.integer(let x), .integer(let y)): return x == y ? 0 : x < y ? -1 : 1
    case (.double(let x), .double(let y)): return x == y ? 0 : x < y ? -1 : 1
    case (.integer(let x), .double(let y)): return Double(x) == y ? 0 : Double(x) < y ? -1 : 1
    case (.double(let x), .integer(let y)): return x == Double(y) ? 0 : x < Double(y) ? -1 : 1
    case (.time(let x), .time(let y)): return x == y ? 0 : x < y ? -1 : 1
    default: return rank(a) < rank(b) ? -1 : rank(a) == rank(b) ? 0 : 1
    }
  }

  private static func rank(_ value: FieldValue) -> Int {
    switch value {
    case .integer, .double, .time: 0
    case .string: 1
    }
  }

  /// Orders rows whose columns are `names` as the plan's sort says, then applies its limit.
  package static func apply(_ sort: [SortKey], limit: Int?, to rows: inout [ResultRow], names: [String]) {
    let keys = sort.compactMap { key in
      names.firstIndex(of: key.column).map { (index: $0, descending: key.descending) }
    }
    Self.sort(&rows, by: keys)
    if let limit { rows = Array(rows.prefix(limit)) }
  }

  /// Sorts rows by `keys`, each naming a column index and a direction.
  package static func sort(_ rows: inout [ResultRow], by keys: [(index: Int, descending: Bool)]) {
    rows.sort { lhs, rhs in
      for key in keys {
        let order = compare(lhs[key.index], rhs[key.index])
        if order != 0 { return key.descending ? order > 0 : order < 0 }
      }
      return false
    }
  }
}
