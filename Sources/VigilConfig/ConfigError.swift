/// One problem in a configuration file, with where it is.
package struct ConfigProblem: Hashable, Sendable, CustomStringConvertible {
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

/// Every problem found in a configuration file (all of them, not only the first).
package struct ConfigError: Error, Hashable, Sendable, CustomStringConvertible {
  package var problems: [ConfigProblem]

  package init(_ problems: [ConfigProblem]) { self.problems = problems }

  package var description: String { problems.map(\.description).joined(separator: "\n") }
}
