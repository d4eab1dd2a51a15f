import VigilBase
import VigilJSON

/// A bearer token's claims, read without verifying the signature (clients have no public key).
///
/// The token string itself is kept only to build the `Authorization` header; `description` never
/// shows it, so a token cannot leak through string interpolation into logs or errors.
package struct EventsToken: Sendable, CustomStringConvertible {
  /// Legacy tokens carry this audience instead of a host; the user must give the URL.
  package static let legacyAudience = "com.1password.streamingservice"

  package let bearer: String
  package let audience: [String]
  package let features: [String]
  package let accountUUID: String?
  package let tokenID: String?
  package let issuedAt: Timestamp?
  package let expiresAt: Timestamp?
  package let issuer: String?
  package let subject: String?

  package init(_ text: String) throws(TokenError) {
    let token = text.trimmingWhitespace
    guard !token.isEmpty else { throw .empty }
    let parts = token.split(separator: ".", omittingEmptySubsequences: false)
    guard parts.count == 3 else { throw .notAJWT }
    // Every part strictly base64url: a line break or space inside (a wrapped token file) must fail here,
    // by name, instead of reaching an HTTP header whose error would print the token.
    for (index, part) in parts.enumerated() where part.isEmpty || !part.utf8.allSatisfy(Self.isBase64URL) {
      throw .malformedPart(["header", "claims", "signature"][index])
    }
    guard let payloadBytes = Base64URL.decode(parts[1]), let document = try? JSONDocument(bytes: payloadBytes),
      document.root.kind == .object
    else { throw .unreadablePayload }
    let claims = document.root
    bearer = token
    if let single = claims["aud"]?.string {
      audience = [single]
    } else {
      audience = claims["aud"]?.elements.compactMap(\.string) ?? []
    }
    features = claims["1password.com/fts"]?.elements.compactMap(\.string) ?? []
    accountUUID = claims["1password.com/auuid"]?.string
    tokenID = claims["jti"]?.string
    issuedAt = claims["iat"]?.double.map { Timestamp(epochSeconds: $0) }
    expiresAt = claims["exp"]?.double.map { Timestamp(epochSeconds: $0) }
    issuer = claims["iss"]?.string
    subject = claims["sub"]?.string
  }

  /// The streams this token may read, in the API's order.
  package var streams: [EventStream] { EventStream.allCases.filter { features.contains($0.feature) } }

  /// The host named by the first audience, when it is one (`https://` + aud[0], as 1Password's clients do).
  package var audienceHost: String? {
    guard let first = audience.first, first != Self.legacyAudience, !first.isEmpty,
      first.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" || $0 == ":" })
    else { return nil }
    return first
  }

  package var knownHost: EventsHost? { audienceHost.flatMap(EventsHost.init(rawValue:)) }

  /// The base URL to call: the explicit one when given, else the audience's host.
  package func baseURL(override: String?) throws(TokenError) -> String {
    if let override, !override.isEmpty {
      return override.hasSuffix("/") ? String(override.dropLast()) : override
    }
    guard let host = audienceHost else { throw .noHostInAudience }
    return "https://\(host)"
  }

  package func isExpired(at now: Timestamp) -> Bool { expiresAt.map { $0 <= now } ?? false }

  package var description: String {
    "EventsToken(account: \(accountUUID ?? "?"), features: \(features), id: \(tokenID ?? "?"))"
  }
}

/// Why a string is not a usable Events API token. Messages never contain the token.
package enum TokenError: Error, Equatable, Sendable, CustomStringConvertible {
  case empty
  case notAJWT
  case unreadablePayload
  case malformedPart(String)
  case noHostInAudience

  package var description: String {
    switch self {
    case .empty: "the token is empty: paste the bearer token from 1Password's Integrations page"
    case .notAJWT:
      "the token is not a JWT (expected three dot-separated parts): copy the whole bearer token from 1Password"
    case .unreadablePayload: "the token's claims cannot be read (bad base64url or JSON): the token is damaged"
    case .malformedPart(let part):
      "the token's \(part) part holds characters a token never has (a line break or space inside the file?): "
        + "copy the token again as one line"
    case .noHostInAudience:
      "the token does not name its Events API host (legacy token): give the URL explicitly, e.g. --url https://events.1password.com"
    }
  }
}

extension EventsToken {
  fileprivate static func isBase64URL(_ byte: UInt8) -> Bool {
    (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x2D
      || byte == 0x5F
  }
}
