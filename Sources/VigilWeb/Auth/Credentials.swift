import HummingbirdBcrypt
import VigilDashboards

/// Checks passwords against the bcrypt hashes and API tokens against the SHA-256 hashes of `vigil.yaml`.
struct Credentials: Sendable {
  let users: [String: String]
  let tokens: [(name: String, hash: String)]

  /// A valid hash of nothing anyone knows: an unknown user costs as much time as a known one.
  static let decoy = Bcrypt.hash(SecureToken.make(bytes: 16), cost: 10)

  init(_ settings: WebSettings) {
    users = Dictionary(settings.users.map { ($0.name, $0.passwordHash) }, uniquingKeysWith: { first, _ in first })
    tokens = settings.apiTokens.map { ($0.name, $0.tokenHash.lowercased()) }
  }

  /// Whether `password` is `user`'s. Runs bcrypt (slow on purpose) off the request's task.
  func verify(user: String, password: String) async -> Bool {
    guard password.utf8.count <= 1024 else { return false }
    let hash = users[user]
    let matches = await Self.bcrypt(password, hash: hash ?? Self.decoy)
    return hash != nil && matches
  }

  /// The name of the API token `token` is, if any.
  func tokenName(_ token: String) -> String? {
    guard token.utf8.count <= 1024 else { return nil }
    let hash = SecureToken.tokenHash(token)
    var found: String?
    for entry in tokens where SecureToken.equal(entry.hash, hash) { found = entry.name }
    return found
  }

  var hasUsers: Bool { !users.isEmpty }

  static func bcrypt(_ password: String, hash: String) async -> Bool {
    await Task.detached(priority: .userInitiated) { Bcrypt.verify(password, hash: hash) }.value
  }
}
