import Testing
import VigilBase
import VigilEventsAPIModel

@testable import VigilEmulatorCore

/// The organisation seed is public, so it must not let anyone mint tokens: each engine signs with a
/// random key unless it is given a key seed.
@Suite struct TokenKeyTests {
  static func status(of token: String, at engine: EmulatorEngine) -> Int {
    engine.introspect(deprecated: false, authorization: "Bearer \(token)").status
  }

  static func smallEngine(_ configure: (inout EmulatorOptions) -> Void = { _ in }) throws -> EmulatorEngine {
    try OrganisationTests.engine { options in
      options.users = 2
      options.days = 1
      configure(&options)
    }
  }

  @Test func sameOrganisationSeedDoesNotShareTheSigningKey() throws {
    let first = try Self.smallEngine()
    let second = try Self.smallEngine()
    let token = try first.issueToken().token
    #expect(Self.status(of: token, at: first) == 200)
    #expect(Self.status(of: token, at: second) == 401)
  }

  @Test func aKeySeedKeepsTokensValidAcrossEngines() throws {
    let first = try Self.smallEngine { $0.tokenKeySeed = 42 }
    let second = try Self.smallEngine { $0.tokenKeySeed = 42 }
    let other = try Self.smallEngine { $0.tokenKeySeed = 43 }
    let token = try first.issueToken().token
    #expect(Self.status(of: token, at: second) == 200)
    #expect(Self.status(of: token, at: other) == 401)
  }
}
