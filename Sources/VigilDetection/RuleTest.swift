import VigilBase
import VigilCore
import VigilEventsAPIModel

/// An inline rule test: API items in, the alerts expected out.
package struct RuleTest: Sendable {
  package struct Item: Sendable {
    package var stream: EventStream
    /// The item's JSON, as the API would send it.
    package var json: [UInt8]
    /// When it was ingested (absence rules); its event time when nil.
    package var ingestedAt: Timestamp?
    /// What enrichment would have added (threat feeds, ASN, network lookup).
    package var enrichment = Enrichment()
  }

  package struct Expected: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The values of the rule's `group_by` fields (the account is implied).
    package var group: [String]
    /// Distinct evidence events; nil: any.
    package var count: Int?

    package init(group: [String], count: Int?) {
      self.group = group
      self.count = count
    }

    package static func < (lhs: Expected, rhs: Expected) -> Bool {
      (lhs.group.joined(separator: "\u{1F}"), lhs.count ?? -1) < (
        rhs.group.joined(separator: "\u{1F}"), rhs.count ?? -1
      )
    }

    package var description: String {
      "[\(group.joined(separator: ", "))]" + (count.map { " × \($0)" } ?? "")
    }
  }

  package var name: String
  package var items: [Item]
  /// The ingest clock's time after the items (absence rules).
  package var now: Timestamp?
  package var expected: [Expected]
  /// Watchlist entries the test adds (rules on watchlists that are empty by default).
  package var watchlists: [String: [String]] = [:]
  /// Where the test starts in its file.
  package var line: Int?
}

/// Runs inline tests: each feeds its items through an engine holding only the rule, in the order
/// written and again reversed (alerts must not depend on arrival order), and compares the alerts.
package enum RuleTestRunner {
  package struct Failure: Sendable, CustomStringConvertible {
    package var rule: String
    package var test: String
    package var source: String
    package var line: Int?
    package var message: String

    package var description: String {
      let place = line.map { "\(source):\($0)" } ?? source
      return "\(place): rule \(rule), test \"\(test)\": \(message)"
    }
  }

  package static let account = "test"

  /// The failures of every test of `rule` (empty: all passed).
  package static func run(_ rule: Rule, watchlists: Watchlists = .standard()) -> [Failure] {
    var enabled = rule
    enabled.enabled = true
    return rule.tests.compactMap { test in
      func fail(_ message: String) -> Failure {
        Failure(rule: rule.id, test: test.name, source: rule.source, line: test.line, message: message)
      }
      var events: [CanonicalEvent] = []
      for (index, item) in test.items.enumerated() {
        guard let event = normalize(item) else { return fail("item \(index + 1) is not a valid \(item.stream) item") }
        events.append(event)
      }
      var lists = watchlists
      for (name, entries) in test.watchlists {
        var list = lists.lists[name] ?? Watchlists.List()
        for entry in entries { list.add(entry) }
        lists.lists[name] = list
      }
      let forward = alerts(enabled, events, now: test.now, watchlists: lists)
      let backward = alerts(enabled, events.reversed(), now: test.now, watchlists: lists)
      guard forward == backward else {
        return fail(
          "the alerts depend on the order of the items: \(describe(forward)) in order, \(describe(backward)) reversed")
      }
      let actual = forward.map { RuleTest.Expected(group: Array($0.id.group.dropFirst()), count: $0.count) }
      let expected = test.expected.sorted()
      let matches =
        actual.count == expected.count
        && zip(actual.sorted(), expected).allSatisfy { got, want in
          got.group == want.group && (want.count == nil || want.count == got.count)
        }
      guard matches else {
        let wanted = expected.isEmpty ? "no alerts" : expected.map(\.description).joined(separator: "; ")
        return fail("expected \(wanted), got \(describe(forward))")
      }
      return nil
    }
  }

  static func normalize(_ item: RuleTest.Item) -> CanonicalEvent? {
    guard
      var event = Normalizer.normalize(
        raw: item.json, account: account, stream: item.stream, ingestedAt: .init(seconds: 0))
    else { return nil }
    event.ingestedAt = item.ingestedAt ?? event.time
    event.enrichment = item.enrichment
    return event
  }

  /// The final value of every alert, in a stable order.
  static func alerts(_ rule: Rule, _ events: some Sequence<CanonicalEvent>, now: Timestamp?, watchlists: Watchlists)
    -> [Alert]
  {
    // Lateness beyond any test's span: reversing the items never makes one too late.
    var engine = DetectionEngine(rules: [rule], watchlists: watchlists, lateness: 100 * 366 * 86_400 * 1_000_000_000)
    var latest: [AlertID: Alert] = [:]
    for (index, event) in events.enumerated() {
      for alert in engine.observe(event, sequence: Int64(index + 1)) { latest[alert.id] = alert }
    }
    for alert in engine.finish() { latest[alert.id] = alert }
    if let now { for alert in engine.tick(now: now) { latest[alert.id] = alert } }
    // Sequence numbers depend on arrival; compare on what does not.
    return latest.keys.sorted().compactMap { id in
      latest[id].map { alert in
        var stable = alert
        stable.evidence = alert.evidence.map { EventRef(time: $0.time, uuid: $0.uuid, sequence: 0) }
        return stable
      }
    }
  }

  static func describe(_ alerts: [Alert]) -> String {
    alerts.isEmpty
      ? "no alerts"
      : alerts.map { "[\($0.id.group.dropFirst().joined(separator: ", "))] × \($0.count)" }.joined(separator: "; ")
  }
}
