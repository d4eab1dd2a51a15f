import VigilBase
import VigilCore
import VigilEventsAPIModel
import VigilQuery
import VigilYAML
import Yams

/// Reads rules from YAML: one rule per document (`---` between them). Every problem is reported with
/// its line, and a file with problems gives no rules.
package enum RuleReader {
  package static let keys = [
    "id", "title", "description", "severity", "techniques", "streams", "where", "conditions", "kind", "group_by",
    "suppress", "false_positives", "references", "tuning", "tests", "enabled",
    // Kind parameters.
    "count", "window", "field", "fields", "lookback", "learning", "max_speed_kmh", "min_distance_km",
    "exempt_same_asn", "known_networks", "steps",
  ]

  static let kindKeys: [String: [String]] = [
    "match": [], "threshold": ["count", "window"], "distinct": ["field", "count", "window"],
    "new_value": ["fields", "lookback", "learning"],
    "geo_velocity": ["max_speed_kmh", "min_distance_km", "window", "exempt_same_asn", "known_networks"],
    "sequence": ["steps", "window"], "absence": ["window"],
  ]

  /// The rules in `text` (named `file` in problems).
  package static func read(_ text: String, file: String) -> (rules: [Rule], problems: [YAMLProblem]) {
    var reader = NodeReader(file: file)
    var rules: [Rule] = []
    do {
      var documents = try Yams.compose_all(yaml: text)
      while let document = documents.next() {
        if let rule = readRule(document, reader: &reader) { rules.append(rule) }
      }
      // The sequence stops at text that is not YAML and keeps the error.
      if let error = documents.error { throw error }
    } catch let error as YamlError {
      return ([], reader.problems + [YAMLProblem(error, file: file)])
    } catch {
      return ([], reader.problems + [YAMLProblem(file: file, line: nil, message: "cannot read YAML: \(error)")])
    }
    var seen: Set<String> = []
    for rule in rules where !seen.insert(rule.id).inserted {
      reader.problems.append(YAMLProblem(file: file, line: nil, message: "rule id \(rule.id) is used twice"))
    }
    return (reader.problems.isEmpty ? rules : [], reader.problems)
  }

  static func readRule(_ node: Node, reader: inout NodeReader) -> Rule? {
    let before = reader.problems.count
    guard let keys = reader.mapping(node, what: "a rule", allowed: Self.keys) else { return nil }
    func required(_ key: String) -> Node? {
      if let value = keys[key] { return value }
      reader.report(node, "a rule needs `\(key):`")
      return nil
    }
    let id = required("id").flatMap { reader.string($0, key: "id") } ?? ""
    if !id.isEmpty, !id.allSatisfy({ $0.isLetter || $0.isNumber || "._-".contains($0) }) {
      reader.report(keys["id"], "id \(id) may hold only letters, digits, dots, dashes and underscores")
    }
    let title = required("title").flatMap { reader.string($0, key: "title") } ?? ""
    let description = required("description").flatMap { reader.string($0, key: "description") } ?? ""
    var severity = Severity.medium
    if let node = required("severity"), let text = reader.string(node, key: "severity") {
      if let value = Severity(rawValue: text) {
        severity = value
      } else {
        reader.report(node, "severity must be one of \(Severity.allCases.map(\.rawValue).joined(separator: ", "))")
      }
    }
    let techniques = keys["techniques"].map { strings($0, key: "techniques", reader: &reader) } ?? []
    for technique in techniques where !isTechnique(technique) {
      reader.report(keys["techniques"], "\(technique) is not an ATT&CK technique id such as T1110 or T1110.003")
    }
    let streams = keys["streams"].map { readStreams($0, reader: &reader) } ?? EventStream.allCases
    let (filterText, filter) = readFilter(keys["where"], reader: &reader)
    let conditions = keys["conditions"].map { readConditions($0, reader: &reader) } ?? []
    var groupBy = keys["group_by"].map { fields($0, key: "group_by", reader: &reader) } ?? []
    let kindName = required("kind").flatMap { reader.string($0, key: "kind") } ?? "match"
    guard let allowed = kindKeys[kindName] else {
      reader.report(keys["kind"], "kind must be one of \(RuleKind.names.joined(separator: ", ")), not \(kindName)")
      return nil
    }
    let kindParameters = Set(kindKeys.values.flatMap(\.self))
    for (key, value) in keys where kindParameters.contains(key) && !allowed.contains(key) {
      reader.report(value, "\(key) does not apply to kind \(kindName)")
    }
    let kind = readKind(kindName, keys: keys, rule: node, reader: &reader)
    if case .absence = kind {
      if !groupBy.isEmpty { reader.report(keys["group_by"], "absence rules are grouped by account and stream") }
      groupBy = [FieldCatalog.stream]
    }
    let suppression = keys["suppress"].flatMap { reader.duration($0, key: "suppress") }.map(nanoseconds)
    var enabled = true
    if let node = keys["enabled"] {
      if let value = node.bool { enabled = value } else { reader.report(node, "enabled must be true or false") }
    }
    var rule = Rule(
      id: id, title: title, description: description, severity: severity, techniques: techniques, streams: streams,
      filterText: filterText, filter: filter, conditions: conditions, kind: kind, groupBy: groupBy,
      suppression: suppression ?? defaultSuppression(kind),
      falsePositives: keys["false_positives"].map { strings($0, key: "false_positives", reader: &reader) } ?? [],
      references: keys["references"].map { strings($0, key: "references", reader: &reader) } ?? [],
      tuning: keys["tuning"].flatMap { reader.string($0, key: "tuning") }, tests: [], enabled: enabled,
      source: reader.file)
    rule.tests = keys["tests"].map { RuleTestReader.read($0, rule: rule, reader: &reader) } ?? []
    return reader.problems.count == before ? rule : nil
  }

  /// Without `suppress:`, one alert per window (per hour for kinds without one).
  static func defaultSuppression(_ kind: RuleKind) -> Int64 {
    switch kind {
    case .threshold(_, let window), .distinct(_, _, let window), .sequence(_, let window): max(window, hour)
    case .match, .newValue, .geoVelocity, .absence: hour
    }
  }

  static let hour: Int64 = 3_600 * 1_000_000_000

  static func nanoseconds(_ seconds: Double) -> Int64 { Int64(seconds * 1e9) }

  static func isTechnique(_ text: String) -> Bool {
    let parts = text.split(separator: ".", omittingEmptySubsequences: false)
    guard let main = parts.first, main.count == 5, main.first == "T", main.dropFirst().allSatisfy(\.isNumber) else {
      return false
    }
    return parts.count == 1 || (parts.count == 2 && parts[1].count == 3 && parts[1].allSatisfy(\.isNumber))
  }
}
