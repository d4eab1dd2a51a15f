import Testing
import VigilBase
import VigilEventsAPIModel
import VigilJSON
import VigilTestSupport

@testable import VigilEmulatorCore

@Suite struct ReplayTests {
  static let item = Array(
    #"{"uuid":"REPLAYEDAAAAAAAAAAAAAAAAAA","timestamp":"2026-11-04T17:00:00.123Z","action":"disblmfa","object_type":"account","brand_new":{"x":1}}"#
      .utf8)

  @Test func replayedItemsAreServedByteForByte() throws {
    let engine = try OrganisationTests.engine { options in
      options.users = 3
      options.days = 2
      options.replay = [(.auditEvents, Self.item)]
    }
    let token = try engine.issueToken().token
    var cursor: String?
    var found: [UInt8]?
    repeat {
      let body = cursor.map { #"{"cursor":"\#($0)"}"# } ?? #"{"limit":1000,"start_time":"2020-01-01T00:00:00Z"}"#
      let response = engine.events(
        version: .v2, stream: .auditEvents, authorization: "Bearer \(token)", body: Array(body.utf8))
      let page = try JSONDocument(bytes: response.body).root
      for item in page["items"].map({ Array($0.elements) }) ?? []
      where item["uuid"]?.string == "REPLAYEDAAAAAAAAAAAAAAAAAA" {
        found = Array(item.rawBytes)
      }
      cursor = page["has_more"]?.bool == true ? page["cursor"]?.string : nil
    } while cursor != nil
    #expect(found == Self.item)
  }

  @Test func aRepeatedUuidIsServedTwice() throws {
    let engine = try OrganisationTests.engine { options in
      options.users = 3
      options.days = 2
      options.replay = [(.auditEvents, Self.item), (.auditEvents, Self.item)]
    }
    let token = try engine.issueToken().token
    var cursor: String?
    var copies = 0
    repeat {
      let body = cursor.map { #"{"cursor":"\#($0)"}"# } ?? #"{"limit":1000,"start_time":"2020-01-01T00:00:00Z"}"#
      let response = engine.events(
        version: .v2, stream: .auditEvents, authorization: "Bearer \(token)", body: Array(body.utf8))
      let page = try JSONDocument(bytes: response.body).root
      copies +=
        (page["items"].map { Array($0.elements) } ?? []).filter {
          $0["uuid"]?.string == "REPLAYEDAAAAAAAAAAAAAAAAAA"
        }.count
      cursor = page["has_more"]?.bool == true ? page["cursor"]?.string : nil
    } while cursor != nil
    #expect(copies == 2)
  }

  @Test func unreadableReplayItemsAreRefused() {
    var options = EmulatorOptions()
    options.users = 2
    options.replay = [(.itemUsages, Array(#"{"no_uuid":true}"#.utf8))]
    #expect(throws: ReplayError.unreadableItem(.itemUsages)) {
      _ = try EmulatorEngine(options: options, clock: ManualClock(start: OrganisationTests.start))
    }
  }
}
