import Testing
import VigilQuery
import VigilSinks

/// What a sink's filter selects: events, the alerts stream, or both.
@Suite struct SinkSelectionTests {
  static func selection(_ text: String) throws -> SinkSelection {
    try SinkSelection.of(try QueryParser.parse(text, now: 0).filter)
  }

  @Test func withoutAFilterEveryEventAndNoAlerts() throws {
    #expect(try SinkSelection.of(nil) == .everyEvent)
    let failures = try Self.selection("outcome:failure")
    #expect(failures.events && !failures.alerts && failures.filter != nil)
  }

  @Test func streamAlertsSelectsTheAlertsStreamAloneOrBesideEvents() throws {
    let alone = try Self.selection("stream:alerts")
    #expect(alone.alerts && !alone.events)
    let both = try Self.selection("stream:alerts OR outcome:failure")
    #expect(both.alerts && both.events)
    let failure = try QueryParser.parse("outcome:failure", now: 0).filter
    #expect(both.filter == failure)
    let several = try Self.selection("stream:ALERTS OR stream:audit OR outcome:failure")
    let rest = try QueryParser.parse("stream:audit OR outcome:failure", now: 0).filter
    #expect(several.alerts && several.filter == rest)
  }

  @Test(arguments: ["stream:alerts AND outcome:failure", "NOT stream:alerts", "(stream:alerts AND x) OR audit"])
  func streamAlertsUnderAndOrNotIsRefused(_ text: String) throws {
    #expect(throws: SelectionError.self) { try Self.selection(text) }
  }
}
