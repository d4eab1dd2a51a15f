import Crypto
import VigilBase

/// Random identifiers (session ids, CSRF tokens, generated passwords) and constant-time comparison.
package enum SecureToken {
  /// `bytes` random bytes from the system's generator, as lower-case hex.
  package static func make(bytes: Int = 32) -> String {
    var generator = SystemRandomNumberGenerator()
    return Hex.lowercase((0..<bytes).map { _ in UInt8.random(in: 0...255, using: &generator) })
  }

  /// Compares without stopping at the first difference, so timing does not reveal a prefix.
  package static func equal(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8)
    let y = Array(b.utf8)
    guard x.count == y.count else { return false }
    var difference: UInt8 = 0
    for index in x.indices { difference |= x[index] ^ y[index] }
    return difference == 0
  }

  /// `sha256:` and the hex digest: how API tokens are stored in `vigil.yaml`.
  package static func tokenHash(_ token: String) -> String {
    "sha256:" + Hex.lowercase(SHA256.hash(data: Array(token.utf8)))
  }
}
