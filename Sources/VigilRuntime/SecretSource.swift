import Foundation
import VigilBase

/// Reads a notifier's secret (a webhook key, a Slack URL, a routing key, a password) from a file or
/// an environment variable. Errors name where it was looked for, never what was found.
package enum SecretSource {
  static let maximumFileBytes = 64 << 10

  package static func read(_ location: SecretLocation, for what: String, environment: [String: String])
    throws(UserError) -> String
  {
    let text: String
    switch location {
    case .environment(let name):
      guard let value = environment[name], !value.isEmpty else {
        throw UserError("\(what): environment variable \(TokenLookalike.shown(name)) is not set or empty")
      }
      text = value
    case .file(let path):
      let shown = TokenLookalike.shown(path)
      var status = stat()
      guard stat(path, &status) == 0 else {
        throw UserError("\(what): cannot read \(shown): no such file; check the path")
      }
      guard (status.st_mode & S_IFMT) == S_IFREG, status.st_size <= maximumFileBytes else {
        throw UserError("\(what): \(shown) is not a regular file under 64 kB; point the setting at the secret's file")
      }
      guard let data = FileManager.default.contents(atPath: path) else {
        throw UserError("\(what): cannot read \(shown); check its permissions")
      }
      text = String(decoding: data, as: UTF8.self)
    }
    let secret = text.trimmingWhitespace
    guard !secret.isEmpty, !secret.contains(where: \.isNewline) else {
      throw UserError("\(what): the secret in \(location) must be one non-empty line")
    }
    return secret
  }
}
