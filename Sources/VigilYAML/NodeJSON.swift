import Yams

/// A YAML node written as JSON text: lets YAML files hold API items (rule tests, fixtures) in YAML's
/// friendlier syntax. Plain scalars keep YAML's types (numbers, booleans, null); quoted ones are strings.
package enum NodeJSON {
  /// `node` as compact JSON; `replacing` sets top-level keys of a mapping to string values.
  package static func encode(_ node: Node, replacing: [String: String] = [:]) -> String {
    var output = ""
    write(node, replacing: replacing, to: &output)
    return output
  }

  private static func write(_ node: Node, replacing: [String: String], to output: inout String) {
    switch node {
    case .mapping(let mapping):
      output += "{"
      var first = true
      var replaced = Set<String>()
      for (key, value) in mapping {
        let name = key.string ?? ""
        if !first { output += "," }
        first = false
        string(name, to: &output)
        output += ":"
        if let replacement = replacing[name] {
          string(replacement, to: &output)
          replaced.insert(name)
        } else {
          write(value, replacing: [:], to: &output)
        }
      }
      for (name, value) in replacing.sorted(by: { $0.key < $1.key }) where !replaced.contains(name) {
        if !first { output += "," }
        first = false
        string(name, to: &output)
        output += ":"
        string(value, to: &output)
      }
      output += "}"
    case .sequence(let sequence):
      output += "["
      for (index, item) in sequence.enumerated() {
        if index > 0 { output += "," }
        write(item, replacing: [:], to: &output)
      }
      output += "]"
    case .scalar(let scalar):
      let text = scalar.string
      switch node.tag.description {
      case Tag.Name.null.rawValue: output += "null"
      case Tag.Name.bool.rawValue: output += node.bool == true ? "true" : "false"
      case Tag.Name.int.rawValue: output += node.int.map(String.init) ?? text
      case Tag.Name.float.rawValue:
        if let number = node.float, number.isFinite { output += "\(number)" } else { string(text, to: &output) }
      default: string(text, to: &output)
      }
    case .alias:
      output += "null"
    }
  }

  /// A JSON string literal.
  package static func string(_ text: String, to output: inout String) {
    output += "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": output += "\\\""
      case "\\": output += "\\\\"
      case "\n": output += "\\n"
      case "\r": output += "\\r"
      case "\t": output += "\\t"
      case _ where scalar.value < 0x20:
        let hex = String(scalar.value, radix: 16)
        output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
      default: output.unicodeScalars.append(scalar)
      }
    }
    output += "\""
  }
}
