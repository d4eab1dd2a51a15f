/// The kind of one JSON value on a ``JSONDocument``'s tape.
package enum JSONKind: UInt8, Sendable {
  case object, array, string, number, `true`, `false`, null
}

/// One value of a parsed document, flattened: containers are followed on the tape by their children
/// (for objects: key, value, key, value …), and `next` is the tape index just past the whole subtree,
/// so any value can be skipped in O(1).
package struct JSONNode: Sendable {
  package var kind: JSONKind
  /// For strings: true when the literal contains a backslash escape and needs unescaping.
  package var hasEscapes: Bool
  /// Byte offset of the first byte of the value (the quote, bracket or first digit).
  package var start: UInt32
  /// Byte offset just past the last byte of the value.
  package var end: UInt32
  /// Tape index just past this value's subtree.
  package var next: UInt32
  /// Number of elements (arrays) or members (objects); 0 for scalars.
  package var count: UInt32
}
