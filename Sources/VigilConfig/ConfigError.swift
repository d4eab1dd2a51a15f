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

/// The closest of `candidates` to `word` by edit distance, when close enough to be a typo.
package func nearest(_ word: String, in candidates: [String]) -> String? {
  let best = candidates.map { ($0, editDistance(word.lowercased(), $0.lowercased())) }.min { $0.1 < $1.1 }
  guard let best, best.1 <= max(2, word.count / 3) else { return nil }
  return best.0
}

package func editDistance(_ a: String, _ b: String) -> Int {
  let a = Array(a)
  let b = Array(b)
  if a.isEmpty { return b.count }
  if b.isEmpty { return a.count }
  var previous = Array(0...b.count)
  var current = [Int](repeating: 0, count: b.count + 1)
  for i in 1...a.count {
    current[0] = i
    for j in 1...b.count {
      current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
    }
    swap(&previous, &current)
  }
  return previous[b.count]
}
