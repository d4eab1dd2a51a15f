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

  private var keys: [String] = []
  private var nodes: [String: Node] = [:]

  package init() {}

  package var isEmpty: Bool { keys.isEmpty }

  /// Sets the value at a dotted path, creating the objects on the way; nil leaves the tree unchanged.
  package mutating func set(_ path: String, _ node: Node?) {
    guard let node else { return }
    set(path.split(separator: ".", omittingEmptySubsequences: false)[...].map(String.init)[...], node)
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

  private mutating func set(_ path: ArraySlice<String>, _ node: Node) {
    guard let first = path.first else { return }
    let rest = path.dropFirst()
    if nodes[first] == nil { keys.append(first) }
    if rest.isEmpty {
      nodes[first] = node
      return
    }
    var child: JSONTree
    if case .object(let existing)? = nodes[first] { child = existing } else { child = JSONTree() }
    child.set(rest, node)
    nodes[first] = .object(child)
  }

  package func write(into writer: inout JSONWriter) {
    writer.beginObject()
    for key in keys {
      guard let node = nodes[key] else { continue }
      writer.key(key)
      Self.write(node, into: &writer)
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
