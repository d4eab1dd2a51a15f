/// Where a secret is read from: a file or an environment variable, never the configuration itself.
package enum SecretLocation: Hashable, Sendable, CustomStringConvertible {
  case file(String)
  case environment(String)

  package var description: String {
    switch self {
    case .file(let path): "file \(TokenLookalike.shown(path))"
    case .environment(let name): "environment variable \(TokenLookalike.shown(name))"
    }
  }
}
