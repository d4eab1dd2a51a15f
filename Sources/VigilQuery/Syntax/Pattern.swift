/// Wildcard patterns as written in queries: `*` matches any run of characters, `?` exactly one, and a
/// backslash makes the next character literal. ASCII letters match either case (as SQL `LIKE` does),
/// so the SQL back end and the in-memory evaluator agree on every input.
package enum PatternToken: Hashable, Sendable {
  case anyRun
  case one
  case literal(Unicode.Scalar)
}

package enum Pattern {
  package static func tokens(_ pattern: String) -> [PatternToken] {
    var tokens: [PatternToken] = []
    var escaped = false
    for scalar in pattern.unicodeScalars {
      if escaped {
        tokens.append(.literal(scalar))
        escaped = false
        continue
      }
      switch scalar {
      case "\\": escaped = true
      case "*": if tokens.last != .anyRun { tokens.append(.anyRun) }
      case "?": tokens.append(.one)
      default: tokens.append(.literal(scalar))
      }
    }
    if escaped { tokens.append(.literal("\\")) }
    return tokens
  }

  /// A pattern matching `text` literally.
  package static func escaping(_ text: String) -> String {
    var result = ""
    for scalar in text.unicodeScalars {
      if scalar == "*" || scalar == "?" || scalar == "\\" { result.unicodeScalars.append("\\") }
      result.unicodeScalars.append(scalar)
    }
    return result
  }

  /// Whether `text` matches the tokens entirely (greedy with backtracking to the last star: linear
  /// for the patterns people write, quadratic at worst, never exponential).
  package static func matches(_ tokens: [PatternToken], _ text: String) -> Bool {
    let scalars = Array(text.unicodeScalars)
    var t = 0
    var s = 0
    var star: Int?
    var starText = 0
    while s < scalars.count {
      if t < tokens.count {
        switch tokens[t] {
        case .anyRun:
          star = t
          starText = s
          t += 1
          continue
        case .one:
          t += 1
          s += 1
          continue
        case .literal(let scalar):
          if folded(scalar) == folded(scalars[s]) {
            t += 1
            s += 1
            continue
          }
        }
      }
      guard let star else { return false }
      t = star + 1
      starText += 1
      s = starText
    }
    while t < tokens.count, tokens[t] == .anyRun { t += 1 }
    return t == tokens.count
  }

  /// ASCII upper case to lower case, nothing else (SQLite's `LIKE` folding).
  package static func folded(_ scalar: Unicode.Scalar) -> Unicode.Scalar {
    (65...90).contains(scalar.value) ? Unicode.Scalar(scalar.value + 32) ?? scalar : scalar
  }

  /// The pattern in SQL `LIKE … ESCAPE '\'` syntax.
  package static func like(_ tokens: [PatternToken]) -> String {
    var result = ""
    for token in tokens {
      switch token {
      case .anyRun: result += "%"
      case .one: result += "_"
      case .literal(let scalar):
        if scalar == "%" || scalar == "_" || scalar == "\\" { result += "\\" }
        result.unicodeScalars.append(scalar)
      }
    }
    return result
  }
}
