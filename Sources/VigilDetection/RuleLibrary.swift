import VigilYAML

/// A set of rules read from YAML documents: the built-in pack, the user's files, or both. Ids are
/// unique across the whole set.
package struct RuleLibrary: Sendable {
  package var rules: [Rule] = []
  package var problems: [YAMLProblem] = []

  package init() {}

  /// The rules shipped with Vigil.
  package static let builtIn: RuleLibrary = {
    var library = RuleLibrary()
    for (file, text) in RulePack.files { library.add(text, file: "builtin/" + file) }
    return library
  }()

  /// Adds the rules of one file; a rule whose id is already taken is a problem, not a replacement.
  package mutating func add(_ text: String, file: String) {
    let (read, found) = RuleReader.read(text, file: file)
    problems += found
    for rule in read {
      if let existing = rules.first(where: { $0.id == rule.id }) {
        problems.append(
          YAMLProblem(file: file, line: nil, message: "rule id \(rule.id) is already used in \(existing.source)"))
      } else {
        rules.append(rule)
      }
    }
  }

  package func rule(_ id: String) -> Rule? { rules.first { $0.id == id } }
}
