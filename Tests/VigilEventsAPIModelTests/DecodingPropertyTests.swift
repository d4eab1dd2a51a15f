import PropertyBased
import Testing
import VigilJSON
import VigilTestSupport

@testable import VigilEventsAPIModel

/// Randomly omitted, nulled, retyped and unknown fields never crash decoding, and each item's raw
/// bytes come back exactly as sent.
@Suite struct DecodingPropertyTests {
  static let fixtures = [
    "signin-v1.json", "itemusage-v1.json", "audit-v1.json", "audit-v2-group-manager.json",
    "signin-v2-firewall-unknown.json",
  ]
  static let streams: [EventStream] = [.signInAttempts, .itemUsages, .auditEvents, .auditEvents, .signInAttempts]
  static let replacements = ["null", "1", "-0.5e3", "true", "\"\"", "\"☃ \\u0000\"", "[]", "{}", "{\"x\":[null]}"]

  /// Rewrites an item: for each member (top level and one level down), keep, drop, or replace it.
  static func mutate(_ value: JSONValue, choices: [Int]) -> [UInt8] {
    var writer = JSONWriter()
    var choice = 0
    func next() -> Int {
      defer { choice += 1 }
      return choices.isEmpty ? 0 : choices[choice % choices.count]
    }
    func write(_ value: JSONValue, depth: Int) {
      guard value.kind == .object else {
        writer.raw(value.rawBytes)
        return
      }
      writer.beginObject()
      for (key, member) in value.members {
        let roll = next()
        switch roll % 10 {
        case 0: continue
        case 1, 2:
          writer.key(key)
          writer.raw(Array(replacements[roll % replacements.count].utf8))
        default:
          writer.key(key)
          if depth == 0 { write(member, depth: 1) } else { writer.raw(member.rawBytes) }
        }
      }
      if next() % 4 == 0 {
        writer.key("unknown_\(choice)")
        writer.raw(Array(replacements[choice % replacements.count].utf8))
      }
      writer.endObject()
    }
    write(value, depth: 0)
    return writer.bytes
  }

  @Test func mutatedItemsNeverCrashAndRawRoundTrips() async throws {
    let values = try Self.fixtures.map { try WireFixtures.value($0) }
    await propertyCheck(count: 2000, input: Gen.int(in: 0...4), Gen.int(in: 0...1000).array(of: 1...30)) {
      index, choices in
      let item = Self.mutate(values[index], choices: choices)
      var page = Array(#"{"cursor":"c","has_more":false,"items":["#.utf8)
      page += item
      page += Array("]}".utf8)
      guard let decoded = try? EventPage(stream: Self.streams[index], body: page) else {
        Issue.record("a mutated but valid page failed to decode")
        return
      }
      #expect(decoded.items.count + decoded.malformedItems == 1)
      if let first = decoded.items.first {
        #expect(first.raw == item)
        #expect(first.event.stream == Self.streams[index])
      }
    }
  }

  @Test func encoderOutputDecodesToTheSameEvent() async throws {
    let values = try Self.fixtures.map { try WireFixtures.value($0) }
    for (index, value) in values.enumerated() {
      let event = try #require(WireEvent(stream: Self.streams[index], json: value))
      var writer = JSONWriter()
      WireEncoder(version: .v2).encode(event, into: &writer)
      let again = WireEvent(stream: Self.streams[index], json: try JSONDocument(bytes: writer.bytes).root)
      #expect(again == event)
    }
  }

  @Test func v1EncodingDropsV2FieldsAndNewEnumValues() throws {
    var event = SignInAttempt()
    event.uuid = "U"
    event.type = "u2f_timeout"
    event.category = "success"
    event.accountUUID = "A"
    event.targetUser = WireUser(uuid: "T", userType: "user")
    var writer = JSONWriter()
    WireEncoder(version: .v1).encode(event, into: &writer)
    #expect(
      String(decoding: writer.bytes, as: UTF8.self)
        == #"{"uuid":"U","category":"success","type":"u2f_timout","target_user":{"uuid":"T"}}"#)
    event.type = "federated"
    writer = JSONWriter()
    WireEncoder(version: .v1).encode(event, into: &writer)
    #expect(!String(decoding: writer.bytes, as: UTF8.self).contains("federated"))
  }
}
