import Crypto
import VigilBase
import VigilEventsAPIModel
import VigilJSON

/// Issues and checks the emulator's bearer tokens: ES256-signed JWTs with the claims 1Password's
/// tokens carry (`aud`, `1password.com/fts`, `1password.com/auuid`, `iat`, `jti`, optional `exp`).
/// The signing key is random per process unless a key seed is given: the organisation seed is public
/// (it defaults to 1), so a key derived from it would let anyone mint tokens an exposed emulator accepts.
/// A key seed keeps tokens valid across restarts, for tests and scripted setups.
package struct TokenAuthority: Sendable {
  /// Raw P-256 private key bytes (the Crypto key type is not Sendable).
  private let keyBytes: [UInt8]
  package let audience: String
  package private(set) var revoked: Set<String> = []

  package init(keySeed: UInt64?, audience: String = EventsHost.business.rawValue) {
    if let keySeed {
      keyBytes = Array(SHA256.hash(data: Array("vigil-emulator-token-key|\(keySeed)".utf8)))
    } else {
      keyBytes = Array(P256.Signing.PrivateKey().rawRepresentation)
    }
    self.audience = audience
  }

  private var privateKey: P256.Signing.PrivateKey {
    // 32 bytes of a SHA-256 digest are a valid P-256 scalar with overwhelming probability; should
    // the derivation ever produce an invalid one, fall back to a fresh random key.
    (try? P256.Signing.PrivateKey(rawRepresentation: keyBytes)) ?? P256.Signing.PrivateKey()
  }

  package struct Claims: Sendable, Hashable {
    package var accountUUID: String
    package var features: [String]
    package var tokenID: String
    package var issuedAt: Timestamp
    package var expiresAt: Timestamp?
  }

  package func issue(
    account: String, features: [String], issuedAt: Timestamp, expiresAt: Timestamp?, tokenID: String
  ) -> String {
    var header = JSONWriter()
    header.beginObject()
    header.field("alg", "ES256")
    header.field("kid", "vigil-emulator")
    header.field("typ", "JWT")
    header.endObject()
    var payload = JSONWriter()
    payload.beginObject()
    payload.key("1password.com/auuid")
    payload.string(account)
    payload.key("1password.com/fts")
    payload.beginArray()
    for feature in features { payload.string(feature) }
    payload.endArray()
    payload.key("aud")
    payload.beginArray()
    payload.string(audience)
    payload.endArray()
    payload.field("sub", tokenID.lowercased())
    payload.field("iat", Int(issuedAt.seconds))
    payload.field("exp", expiresAt.map { Int($0.seconds) })
    payload.field("iss", "com.1password.b5")
    payload.field("jti", tokenID)
    payload.endObject()
    let signingInput = Base64URL.encode(header.bytes) + "." + Base64URL.encode(payload.bytes)
    let signature = (try? privateKey.signature(for: Array(signingInput.utf8))).map { Array($0.rawRepresentation) } ?? []
    return signingInput + "." + Base64URL.encode(signature)
  }

  package enum Rejection: Error, Equatable, Sendable {
    case missing, malformed, badSignature, expired, revoked
  }

  /// Checks signature, expiry and revocation; returns the claims of a good token.
  package func verify(_ token: String, now: Timestamp) throws(Rejection) -> Claims {
    let parts = token.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count == 3, let signatureBytes = Base64URL.decode(parts[2]) else { throw .malformed }
    guard let signature = try? P256.Signing.ECDSASignature(rawRepresentation: signatureBytes) else {
      throw .badSignature
    }
    let signingInput = Array(token.utf8.prefix(parts[0].utf8.count + 1 + parts[1].utf8.count))
    guard privateKey.publicKey.isValidSignature(signature, for: signingInput) else { throw .badSignature }
    guard let parsed = try? EventsToken(token), let account = parsed.accountUUID, let tokenID = parsed.tokenID,
      let issuedAt = parsed.issuedAt
    else { throw .malformed }
    if parsed.isExpired(at: now) { throw .expired }
    if revoked.contains(tokenID) { throw .revoked }
    return Claims(
      accountUUID: account, features: parsed.features, tokenID: tokenID, issuedAt: issuedAt,
      expiresAt: parsed.expiresAt)
  }

  package mutating func revoke(tokenID: String) { revoked.insert(tokenID) }
}
