import VigilCore
import Yams

/// Reads typed values out of a YAML node tree, collecting a line-numbered problem for anything wrong:
/// configuration, rules and dashboards report every problem of a file at once.
package struct NodeReader {
  package let file: String
  package var problems: [YAMLProblem] = []

  package init(file: String) { self.file = file }

  package mutating func report(_ node: Node?, _ message: String) {
    problems.append(YAMLProblem(file: file, line: node?.mark?.line, message: message))
  }

  /// A mapping's values by key; unknown keys are reported with the nearest known one.
  package mutating func mapping(_ node: Node, what: String, allowed: [String]) -> [String: Node]? {
    guard case .mapping(let mapping) = node else {
      report(node, "\(what) must be a mapping of `key: value` lines")
      return nil
    }
    var values: [String: Node] = [:]
    for (keyNode, value) in mapping {
      guard let key = keyNode.scalar?.string else {
        report(keyNode, "keys of \(what) must be plain words")
        continue
      }
      guard allowed.contains(key) else {
        let hint = nearest(key, in: allowed).map { " (did you mean \($0)?)" } ?? ""
        report(keyNode, "unknown key \(key) in \(what)\(hint); known keys: \(allowed.joined(separator: ", "))")
        continue
      }
      values[key] = value
    }
    return values
  }

  package mutating func string(_ node: Node, key: String) -> String? {
    guard case .scalar(let scalar) = node else {
      report(node, "\(key) must be a single value")
      return nil
    }
    return scalar.string
  }

  package mutating func days(_ node: Node, key: String) -> Int? {
    guard let text = string(node, key: key) else { return nil }
    guard let days = Int(text), days >= 1, days <= 36_500 else {
      report(node, "\(key) must be a whole number of days from 1 to 36500, not \(text)")
      return nil
    }
    return days
  }

  package mutating func count(_ node: Node, key: String, in range: ClosedRange<Int>) -> Int? {
    guard let text = string(node, key: key) else { return nil }
    guard let value = Int(text), range.contains(value) else {
      report(node, "\(key) must be a whole number from \(range.lowerBound) to \(range.upperBound), not \(text)")
      return nil
    }
    return value
  }

  /// The longest duration any setting takes (a year): larger values are typos, and would overflow the
  /// clocks they are handed to.
  package static let longestDuration: Double = 366 * 86_400

  package mutating func duration(_ node: Node, key: String) -> Double? {
    guard let text = string(node, key: key) else { return nil }
    guard let seconds = Self.seconds(text), seconds > 0, seconds.isFinite else {
      report(node, "\(key) must be a duration such as 30s, 5m or 1h, not \(text)")
      return nil
    }
    guard seconds <= Self.longestDuration else {
      report(node, "\(key) must be at most 366d, not \(text)")
      return nil
    }
    return seconds
  }

  /// `30`, `30s`, `5m`, `1h`, `1d`.
  package static func seconds(_ text: String) -> Double? {
    guard let last = text.last else { return nil }
    let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
    if let unit = units[last] { return Double(text.dropLast()).map { $0 * unit } }
    return Double(text)
  }
}
