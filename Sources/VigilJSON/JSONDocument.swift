/// A parsed JSON text: the bytes it came from and a flat tape describing every value in it.
///
/// Parsing validates everything (RFC 8259 grammar, UTF-8, nesting) once; reading a value afterwards
/// never fails for syntax reasons, only for type mismatches, which readers treat as "absent".
package struct JSONDocument: Sendable {
  /// Documents larger than this are refused rather than parsed (offsets are 32-bit).
  package static let maximumSize = Int(UInt32.max) - 1
  /// Deeper nesting than this is refused; 1Password events nest at most four levels.
  package static let defaultMaximumDepth = 1024

  /// One reference for both arrays: every ``JSONValue`` carries its document, and a single retain per
  /// copy instead of two is measurable when decoding hundreds of thousands of events a second.
  final class Storage: Sendable {
    let bytes: [UInt8]
    let tape: [JSONNode]

    init(bytes: [UInt8], tape: [JSONNode]) {
      self.bytes = bytes
      self.tape = tape
    }
  }

  let storage: Storage

  package var bytes: [UInt8] { storage.bytes }
  package var tape: [JSONNode] { storage.tape }

  /// - Parameter maximumValues: refuse inputs with more values than this (each costs 20 bytes of tape).
  package init(
    bytes: [UInt8], maximumDepth: Int = JSONDocument.defaultMaximumDepth, maximumValues: Int = .max
  ) throws(JSONError) {
    guard bytes.count <= Self.maximumSize else { throw JSONError(.tooLarge, at: Self.maximumSize) }
    let result: Result<[JSONNode], JSONError> = bytes.withUnsafeBufferPointer { buffer in
      var parser = JSONParser(input: buffer, maxDepth: maximumDepth, maxValues: maximumValues)
      do throws(JSONError) {
        return .success(try parser.parse())
      } catch {
        return .failure(error)
      }
    }
    storage = Storage(bytes: bytes, tape: try result.get())
  }

  package init(_ text: String) throws(JSONError) {
    try self.init(bytes: Array(text.utf8))
  }

  /// The top-level value.
  package var root: JSONValue { JSONValue(document: self, index: 0) }
}

/// A read-only view of one value inside a ``JSONDocument``.
package struct JSONValue: Sendable {
  package let document: JSONDocument
  package let index: Int

  @inline(__always) var node: JSONNode { document.tape[index] }

  package var kind: JSONKind { node.kind }
  package var isNull: Bool { node.kind == .null }

  /// The exact bytes of this value as they appeared in the input.
  package var rawBytes: ArraySlice<UInt8> { document.bytes[Int(node.start)..<Int(node.end)] }

  /// The string's value, unescaped; nil if this is not a string.
  package var string: String? {
    let node = self.node
    guard node.kind == .string else { return nil }
    let contentStart = Int(node.start) + 1
    let contentEnd = Int(node.end) - 1
    if !node.hasEscapes {
      return document.bytes.withUnsafeBufferPointer { buffer in
        String(decoding: UnsafeBufferPointer(rebasing: buffer[contentStart..<contentEnd]), as: UTF8.self)
      }
    }
    return document.bytes.withUnsafeBufferPointer { buffer in
      JSONUnescaper.unescape(UnsafeBufferPointer(rebasing: buffer[contentStart..<contentEnd]))
    }
  }

  package var bool: Bool? {
    switch node.kind {
    case .true: true
    case .false: false
    default: nil
    }
  }

  /// The number as an integer, if it is one that fits in `Int` exactly (no fraction, no exponent).
  package var int: Int? {
    let node = self.node
    guard node.kind == .number else { return nil }
    return document.bytes.withUnsafeBufferPointer { buffer in
      var index = Int(node.start)
      let end = Int(node.end)
      let negative = buffer[index] == UInt8(ascii: "-")
      if negative { index += 1 }
      var value = 0
      while index < end {
        let digit = buffer[index] &- UInt8(ascii: "0")
        guard digit < 10 else { return nil }
        let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
        let (next, overflow2) =
          negative ? shifted.subtractingReportingOverflow(Int(digit)) : shifted.addingReportingOverflow(Int(digit))
        guard !overflow1, !overflow2 else { return nil }
        value = next
        index += 1
      }
      return value
    }
  }

  /// The number as a finite `Double`; nil if not a number or out of range.
  package var double: Double? {
    let node = self.node
    guard node.kind == .number else { return nil }
    if let int, abs(int) < (1 << 53) { return Double(int) }
    let text = document.bytes.withUnsafeBufferPointer { buffer in
      String(decoding: UnsafeBufferPointer(rebasing: buffer[Int(node.start)..<Int(node.end)]), as: UTF8.self)
    }
    guard let value = Double(text), value.isFinite else { return nil }
    return value
  }

  /// Number of elements or members.
  package var count: Int { Int(node.count) }

  /// The member named `key` of an object; nil if absent or not an object.
  package subscript(key: String) -> JSONValue? {
    guard node.kind == .object else { return nil }
    for (name, value) in members where name == key { return value }
    return nil
  }

  /// An object's members in order: (key, value). Empty for non-objects.
  package var members: JSONMembers { JSONMembers(value: self) }

  /// An array's elements in order. Empty for non-arrays.
  package var elements: JSONElements { JSONElements(value: self) }
}

/// Iterates an object's members without building a dictionary.
package struct JSONMembers: Sequence, Sendable {
  let value: JSONValue

  package struct Iterator: IteratorProtocol {
    let document: JSONDocument
    var index: Int
    let end: Int

    package mutating func next() -> (String, JSONValue)? {
      guard index < end else { return nil }
      let key = JSONValue(document: document, index: index)
      let valueIndex = Int(document.tape[index].next)
      index = Int(document.tape[valueIndex].next)
      return (key.string ?? "", JSONValue(document: document, index: valueIndex))
    }
  }

  package func makeIterator() -> Iterator {
    let node = value.node
    guard node.kind == .object else { return Iterator(document: value.document, index: 0, end: 0) }
    return Iterator(document: value.document, index: value.index + 1, end: Int(node.next))
  }
}

/// Iterates an array's elements.
package struct JSONElements: Sequence, Sendable {
  let value: JSONValue

  package struct Iterator: IteratorProtocol {
    let document: JSONDocument
    var index: Int
    let end: Int

    package mutating func next() -> JSONValue? {
      guard index < end else { return nil }
      let element = JSONValue(document: document, index: index)
      index = Int(document.tape[index].next)
      return element
    }
  }

  package func makeIterator() -> Iterator {
    let node = value.node
    guard node.kind == .array else { return Iterator(document: value.document, index: 0, end: 0) }
    return Iterator(document: value.document, index: value.index + 1, end: Int(node.next))
  }
}

extension JSONValue {
  /// Calls `body` with a string's content bytes without allocating when it has no escapes; nil if this
  /// is not a string.
  package func withStringBytes<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R? {
    let node = self.node
    guard node.kind == .string else { return nil }
    if node.hasEscapes {
      var text = string ?? ""
      return text.withUTF8(body)
    }
    return document.bytes.withUnsafeBufferPointer { buffer in
      body(UnsafeBufferPointer(rebasing: buffer[(Int(node.start) + 1)..<(Int(node.end) - 1)]))
    }
  }
}
