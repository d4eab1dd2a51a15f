import Testing
import VigilBase
import VigilTestSupport

@testable import VigilEventsAPIModel

@Suite struct TokenTests {
  static func jwt(_ payload: String) -> String {
    Base64URL.encode(Array(#"{"alg":"ES256","typ":"JWT"}"#.utf8)) + "." + Base64URL.encode(Array(payload.utf8))
      + ".c2ln"
  }

  @Test func readsClaimsAndHost() throws {
    let token = try EventsToken(
      Self.jwt(
        #"{"1password.com/auuid":"ACC","1password.com/fts":["signinattempts","auditevents"],"aud":["events.1password.eu"],"iat":1700000000,"exp":1800000000,"jti":"TID"}"#
      ) + "\n")
    #expect(token.accountUUID == "ACC")
    #expect(token.streams == [.signInAttempts, .auditEvents])
    #expect(token.knownHost == .europe)
    #expect(try token.baseURL(override: nil) == "https://events.1password.eu")
    #expect(try token.baseURL(override: "http://127.0.0.1:8787/") == "http://127.0.0.1:8787")
    #expect(token.issuedAt == Timestamp(seconds: 1_700_000_000))
    #expect(token.isExpired(at: Timestamp(seconds: 1_800_000_000)))
    #expect(!token.isExpired(at: Timestamp(seconds: 1_799_999_999)))
    #expect(!token.description.contains(token.bearer))
  }

  @Test func legacyAudienceNeedsAnExplicitURL() throws {
    let token = try EventsToken(
      Self.jwt(#"{"aud":"com.1password.streamingservice","1password.com/fts":["itemusages"]}"#))
    #expect(token.audienceHost == nil)
    #expect(throws: TokenError.noHostInAudience) { try token.baseURL(override: nil) }
  }

  @Test func hostileAudienceIsNotTrustedAsAHost() throws {
    let token = try EventsToken(Self.jwt(#"{"aud":["evil.example/path?x=1"]}"#))
    #expect(token.audienceHost == nil)
  }

  @Test func garbageIsRefusedWithoutEchoingIt() {
    #expect(throws: TokenError.empty) { try EventsToken("  \n") }
    #expect(throws: TokenError.notAJWT) { try EventsToken("secret-garbage") }
    #expect(throws: TokenError.malformedPart("claims")) { try EventsToken("a.!!!.c") }
    #expect(throws: TokenError.unreadablePayload) { try EventsToken("a.bm90LWpzb24.c") }
    #expect(throws: TokenError.unreadablePayload) { try EventsToken("a." + Base64URL.encode(Array("[1]".utf8)) + ".c") }
    #expect(!TokenError.notAJWT.description.contains("secret-garbage"))
  }

  @Test func base64URLRoundTrips() {
    for length in 0..<40 {
      let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
      #expect(Base64URL.decode(Substring(Base64URL.encode(bytes))) == bytes)
    }
    #expect(Base64URL.decode("a") == nil)
  }
}

@Suite struct StrictTokenTests {
  static let good =
    "eyJhbGciOiJFUzI1NiJ9."
    + "eyIxcGFzc3dvcmQuY29tL2F1dWlkIjoiQUNDIiwiMXBhc3N3b3JkLmNvbS9mdHMiOlsic2lnbmluYXR0ZW1wdHMiXSwiYXVkIjpbImV2ZW50cy4xcGFzc3dvcmQuY29tIl19"
    + ".c2lnbmF0dXJlLXNlY3JldC1wYXJ0"

  /// A wrapped token file: the line break once reached an HTTP header whose error printed the token.
  @Test(arguments: [("\n", "signature"), (" ", "signature"), ("\r", "signature")])
  func aBreakInsideAnyPartIsRefusedByName(separator: String, part: String) {
    let wrapped = Self.good.prefix(Self.good.count - 10) + separator + Self.good.suffix(10)
    #expect(throws: TokenError.malformedPart(part)) { try EventsToken(String(wrapped)) }
    let header = "eyJhbGci\nOiJFUzI1NiJ9." + Self.good.split(separator: ".").dropFirst().joined(separator: ".")
    #expect(throws: TokenError.malformedPart("header")) { try EventsToken(header) }
  }

  @Test func theErrorNeverHoldsTheToken() {
    do {
      _ = try EventsToken(Self.good + "\n" + Self.good)
      Issue.record("a two-line token file was accepted")
    } catch {
      #expect(!error.description.contains("c2lnbmF0dXJl"))
    }
    #expect((try? EventsToken(Self.good + "\n")) != nil, "a trailing newline is fine")
  }
}
