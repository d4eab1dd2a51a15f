import Yams

/// One problem in a YAML file (configuration, rules, dashboards), with where it is.
package struct YAMLProblem: Hashable, Sendable, CustomStringConvertible {
  package var file: String
  package var line: Int?
  package var message: String

  package init(file: String, line: Int?, message: String) {
    self.file = file
    self.line = line
    self.message = message
  }

  package var description: String {
    line.map { "\(file):\($0): \(message)" } ?? "\(file): \(message)"
  }
}

extension YAMLProblem {
  /// What Yams said about text that is not YAML, at its line.
  package init(_ error: YamlError, file: String) {
    switch error {
    case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
      .composer(_, let problem, let mark, _):
      self.init(file: file, line: mark.line, message: "not valid YAML: \(problem)")
    default:
      self.init(file: file, line: nil, message: "not valid YAML: \(error)")
    }
  }
}
