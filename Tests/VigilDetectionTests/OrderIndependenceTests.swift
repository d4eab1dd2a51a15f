import Testing
import VigilBase
import VigilCore
import VigilDetection
import VigilEventsAPIModel

/// The engine's central promise: the same events give the same alerts whether they arrive in order,
/// shuffled, or with a late tail (within the allowed lateness).
@Suite struct OrderIndependenceTests {
  static let rules = """
    id: t.failures
    title: failures
    description: d
    severity: medium
    streams: [signinattempts]
    where: outcome:failure
    kind: threshold
    count: 3
    window: 10m
    group_by: [user.id]
    ---
    id: t.spray
    title: spray
    description: d
    severity: high
    streams: [signinattempts]
    where: outcome:failure
    kind: distinct
    field: user.id
    count: 3
    window: 1h
    group_by: [source.ip]
    ---
    id: t.chain
    title: chain
    description: d
    severity: high
    streams: [signinattempts]
    kind: sequence
    window: 30m
    group_by: [user.id]
    steps:
      - name: failures
        where: outcome:failure
        count: 2
      - name: success
        where: outcome:success
    ---
    id: t.travel
    title: travel
    description: d
    severity: high
    streams: [signinattempts]
    where: outcome:success
    kind: geo_velocity
    max_speed_kmh: 900
    min_distance_km: 500
    window: 12h
    group_by: [user.id]
    ---
    id: t.country
    title: new country
    description: d
    severity: low
    streams: [signinattempts]
    where: outcome:success
    kind: new_value
    fields: [geo.country_code]
    lookback: 14d
    learning: 2h
    group_by: [user.id]
    ---
    id: t.export
    title: export
    description: d
    severity: low
    streams: [itemusages]
    where: action:(export OR reveal)
    kind: match
    group_by: [user.id]
    suppress: 30m
    """

  static let places = [
    ("SE", "Stockholm", 59.33, 18.07, "89.160.20.1"), ("AU", "Sydney", -33.87, 151.21, "1.128.0.1"),
    ("CA", "Toronto", 43.65, -79.38, "24.114.0.1"), ("GB", "London", 51.51, -0.13, "81.2.69.1"),
  ]

  /// About 600 events over 40 hours: few users and addresses, so windows fill and alerts fire.
  static func events(seed: UInt64) -> [CanonicalEvent] {
    var random = SeededGenerator(seed: seed)
    let start: Int64 = 1_790_000_000
    var events: [CanonicalEvent] = []
    for index in 0..<600 {
      let time = Timestamp(seconds: start + Int64.random(in: 0..<(40 * 3_600), using: &random))
      let user = "U\(Int.random(in: 0..<6, using: &random))"
      let place = places[Int.random(in: 0..<(Int.random(in: 0..<10, using: &random) == 0 ? 4 : 2), using: &random)]
      let location =
        #""location":{"country":"\#(place.0)","city":"\#(place.1)","latitude":\#(place.2),"longitude":\#(place.3)}"#
      let json: String
      let stream: EventStream
      if Int.random(in: 0..<4, using: &random) == 0 {
        stream = .itemUsages
        let action = ["fill", "reveal", "export", "secure-copy"][Int.random(in: 0..<4, using: &random)]
        json =
          #"{"uuid":"E\#(index)","timestamp":"\#(time.rfc3339)","vault_uuid":"v1","item_uuid":"i1","action":"\#(action)","user":{"uuid":"\#(user)","email":"\#(user)@example.com"},"client":{"ip_address":"\#(place.4)"},\#(location)}"#
      } else {
        stream = .signInAttempts
        let failed = Int.random(in: 0..<3, using: &random) == 0
        json =
          #"{"uuid":"E\#(index)","timestamp":"\#(time.rfc3339)","category":"\#(failed ? "credentials_failed" : "success")","type":"\#(failed ? "password_secret_bad" : "credentials_ok")","target_user":{"uuid":"\#(user)","email":"\#(user)@example.com"},"client":{"ip_address":"\#(place.4)"},\#(location)}"#
      }
      let raw = Array(json.utf8)
      if let event = Normalizer.normalize(raw: raw, account: "acme", stream: stream, ingestedAt: time) {
        events.append(event)
      }
    }
    return events
  }

  static func alerts(_ events: [CanonicalEvent]) throws -> [AlertID: Alert] {
    let (rules, problems) = RuleReader.read(Self.rules, file: "order.yaml")
    #expect(problems.isEmpty, "\(problems)")
    var engine = DetectionEngine(rules: rules)
    var latest: [AlertID: Alert] = [:]
    for event in events {
      for alert in engine.observe(event) { latest[alert.id] = alert }
    }
    for alert in engine.finish() { latest[alert.id] = alert }
    #expect(engine.statistics.tooLate == 0)
    return latest
  }

  @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
  func theSameEventsGiveTheSameAlertsInAnyOrder(seed: UInt64) throws {
    let events = Self.events(seed: seed)
    let inOrder = events.sorted { ($0.time, $0.uuid) < ($1.time, $1.uuid) }
    let expected = try Self.alerts(inOrder)
    // Nearly every kind fires on this data, so the comparison means something.
    let fired = Set(expected.keys.map(\.rule))
    #expect(
      fired.count >= 5
        && fired.isSubset(of: ["t.failures", "t.spray", "t.chain", "t.travel", "t.country", "t.export"]), "\(fired)")

    var random = SeededGenerator(seed: seed &+ 100)
    let shuffled = events.shuffled(using: &random)
    #expect(try Self.alerts(shuffled) == expected)

    // A late tail: a sixth of the events held back and delivered after all the others.
    var onTime: [CanonicalEvent] = []
    var late: [CanonicalEvent] = []
    for event in inOrder {
      if Int.random(in: 0..<6, using: &random) == 0 { late.append(event) } else { onTime.append(event) }
    }
    #expect(!late.isEmpty)
    #expect(try Self.alerts(onTime + late.shuffled(using: &random)) == expected)
  }
}
