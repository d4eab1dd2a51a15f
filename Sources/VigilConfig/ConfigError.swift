import VigilYAML

/// One problem in a configuration file, with where it is.
package typealias ConfigProblem = YAMLProblem

/// Every problem found in a configuration file (all of them, not only the first).
package struct ConfigError: Error, Hashable, Sendable, CustomStringConvertible {
  package var problems: [ConfigProblem]

  package init(_ problems: [ConfigProblem]) { self.problems = problems }

  package var description: String { problems.map(\.description).joined(separator: "\n") }
}
