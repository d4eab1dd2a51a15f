import VigilJSON

/// A JSON object built from dotted paths (`source.geo.city_name`), written in the order paths were
/// first set. The ECS and OCSF encoders describe documents field by field with it; absent values
/// are skipped, so no document carries empty objects.
package struct JSONTree: Sendable {
  package indirect enum Node: Sendable {
    case string(String)
    case integer(Int64)
    case double(Double)
    case bool(Bool)
    case array([Node])
    case object(JSONTree)
  }

  /// One key of the tree: its value, or its children (first and last, each linked to the next).
  private struct Slot: Sendable {
    var key: Substring
    var value: Node?
    var firstChild = -1
    var lastChild = -1
    var next = -1
  }

  // Slot 0 is the root. A flat array of slots instead of nested dictionaries: nested trees copied
  // their children on every set (`scripts/bench sinks` measured the ECS encoder at ~11k events/s).
  private var slots = [Slot(key: "", value: nil)]

  package init() {}

  package var isEmpty: Bool { slots[0].firstChild < 0 }

  /// Sets the value at a dotted path, creating the objects on the way; nil leaves the tree unchanged.
  /// Setting a path again replaces its value in place (keeping its position); a value replaces an
  /// object set at the same path and the reverse, as the later write.
  package mutating func set(_ path: String, _ node: Node?) {
    guard let node else { return }
    if case .object(let tree) = node {
      // Grafted key by key, so that paths set below it later go into it.
      let slot = self.slot(for: path)
      slots[slot].value = nil
      slots[slot].firstChild = -1
      slots[slot].lastChild = -1
      graft(tree, from: 0, under: path)
      if tree.isEmpty { slots[slot].value = .object(tree) }
      return
    }
    let slot = self.slot(for: path)
    slots[slot].value = node
    slots[slot].firstChild = -1
    slots[slot].lastChild = -1
  }

  private mutating func graft(_ tree: JSONTree, from parent: Int, under path: String) {
    var child = tree.slots[parent].firstChild
    while child >= 0 {
      let source = tree.slots[child]
      let childPath = path + "." + source.key
      if let value = source.value {
        set(childPath, value)
      } else {
        graft(tree, from: child, under: childPath)
      }
      child = source.next
    }
  }

  /// The slot at `path`, created (with its parents) when missing; a value on the way becomes an object.
  private mutating func slot(for path: String) -> Int {
    var current = 0
    let utf8 = path.utf8
    var start = utf8.startIndex
    while true {
      // Bytes, not Characters: paths are ASCII, and Character iteration was most of the encoders' time.
      let end = utf8[start...].firstIndex(of: UInt8(ascii: ".")) ?? utf8.endIndex
      let key = Substring(utf8[start..<end])
      if case .some = slots[current].value { slots[current].value = nil }
      var child = slots[current].firstChild
      while child >= 0, slots[child].key != key { child = slots[child].next }
      if child < 0 {
        child = slots.count
        slots.append(Slot(key: key, value: nil))
        if slots[current].lastChild >= 0 {
          slots[slots[current].lastChild].next = child
        } else {
          slots[current].firstChild = child
        }
        slots[current].lastChild = child
      }
      current = child
      guard end < utf8.endIndex else { return current }
      start = utf8.index(after: end)
    }
  }

  package mutating func set(_ path: String, _ value: String?) { set(path, value.map(Node.string)) }
  package mutating func set(_ path: String, _ value: Int?) { set(path, value.map { Node.integer(Int64($0)) }) }
  package mutating func set(_ path: String, _ value: Int64?) { set(path, value.map(Node.integer)) }
  package mutating func set(_ path: String, _ value: Double?) { set(path, value.map(Node.double)) }
  package mutating func set(_ path: String, _ value: Bool?) { set(path, value.map(Node.bool)) }

  /// Sets a list of strings; an empty list is absent.
  package mutating func set(_ path: String, strings: [String]) {
    guard !strings.isEmpty else { return }
    set(path, Node.array(strings.map(Node.string)))
  }

  package func write(into writer: inout JSONWriter) { write(slot: 0, into: &writer) }

  private func write(slot: Int, into writer: inout JSONWriter) {
    writer.beginObject()
    var child = slots[slot].firstChild
    while child >= 0 {
      let entry = slots[child]
      writer.key(String(entry.key))
      if let value = entry.value {
        Self.write(value, into: &writer)
      } else {
        write(slot: child, into: &writer)
      }
      child = entry.next
    }
    writer.endObject()
  }

  private static func write(_ node: Node, into writer: inout JSONWriter) {
    switch node {
    case .string(let value): writer.string(value)
    case .integer(let value): writer.int(Int(value))
    case .double(let value): writer.double(value)
    case .bool(let value): writer.bool(value)
    case .array(let nodes):
      writer.beginArray()
      for node in nodes { write(node, into: &writer) }
      writer.endArray()
    case .object(let tree): tree.write(into: &writer)
    }
  }
}
