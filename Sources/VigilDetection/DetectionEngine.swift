import VigilBase
import VigilCore
import VigilEventsAPIModel

/// Runs rules over events in event time. Pure: events in, alert updates out, state a value.
///
/// Events may arrive in any order within the allowed lateness (item usages arrive up to a day late;
/// shuffled pages, restarts): the alerts are the same. Rules whose conditions only become true as
/// events are added (match, threshold, distinct, sequence, geo-velocity) judge at once and update
/// their alerts as late events come; `new_value` waits for the watermark, the newest event time of the
/// account's slowest stream minus the lateness. An event further behind than the lateness is counted
/// as too late and only match rules see it.
package struct DetectionEngine: Sendable {
  package struct Statistics: Sendable, Hashable, Codable {
    package var events = 0
    package var tooLate = 0
    /// Groups, remembered events and open alerts across rules.
    package var groups = 0
    package var remembered = 0
    package var openAlerts = 0
    package var evicted = 0
  }

  /// 48 hours: item usages arrive about a day late.
  package static let defaultLateness: Int64 = 48 * 3_600 * 1_000_000_000

  package let watchlists: Watchlists
  package let lateness: Int64
  package let limits: StateLimits
  var runners: [RuleRunner]
  /// For each stream, the runners whose rule reads it (most rules read one stream).
  private let runnersByStream: [EventStream: [Int]]
  /// For each stream, the `new_value` runners whose watermark an event of it can move.
  private let newValueByStream: [EventStream: [Int]]
  /// Runners whose alerts changed since the last collect (may repeat; collect skips the clean).
  private var dirty: [Int] = []
  var clocks: [Partition: Int64] = [:]
  var events = 0
  var tooLate = 0

  package init(
    rules: [Rule], watchlists: Watchlists = .standard(), lateness: Int64 = defaultLateness,
    limits: StateLimits = StateLimits()
  ) {
    self.watchlists = watchlists
    self.lateness = lateness
    self.limits = limits
    let runners = rules.filter(\.enabled).map(RuleRunner.init)
    self.runners = runners
    var byStream: [EventStream: [Int]] = [:]
    for stream in EventStream.allCases {
      byStream[stream] = runners.indices.filter { runners[$0].rule.streams.contains(stream) }
    }
    runnersByStream = byStream
    newValueByStream = byStream.mapValues { indices in
      indices.filter { if case .newValue = runners[$0].rule.kind { true } else { false } }
    }
  }

  package var rules: [Rule] { runners.map(\.rule) }

  /// Takes one event; returns the alerts it created or changed (each alert's whole current value).
  package mutating func observe(_ event: CanonicalEvent, sequence: Int64 = 0) -> [Alert] {
    let ref = EventRef(event, sequence: sequence)
    let partition = Partition(account: event.account, stream: event.stream)
    let clock = clocks[partition]
    let late = clock.map { ref.time < $0 &- lateness } ?? false
    if late { tooLate += 1 }
    let advances = clock.map { ref.time > $0 } ?? true
    if advances { clocks[partition] = ref.time }
    events += 1
    for index in runnersByStream[event.stream] ?? [] {
      runners[index].observe(event, ref: ref, late: late, watchlists: watchlists, limits: limits)
      if !runners[index].changed.isEmpty { dirty.append(index) }
    }
    if advances { advance(account: event.account, stream: event.stream) }
    if events % 4_096 == 0 { forget() }
    guard !dirty.isEmpty else { return [] }
    defer { dirty.removeAll(keepingCapacity: true) }
    return collect(dirty)
  }

  /// The watermark of `account` for a rule: the newest event time of its slowest stream, less the
  /// lateness (nil until one of the rule's streams has been seen).
  private func watermark(_ account: String, streams: [EventStream]) -> Int64? {
    var slowest: Int64?
    for stream in streams {
      guard let clock = clocks[Partition(account: account, stream: stream)] else { continue }
      slowest = min(slowest ?? clock, clock)
    }
    return slowest.map { $0 &- lateness }
  }

  /// An event of `stream` moved its clock: the `new_value` rules reading it judge what the watermark passed.
  private mutating func advance(account: String, stream: EventStream) {
    for index in newValueByStream[stream] ?? [] {
      guard let watermark = watermark(account, streams: runners[index].rule.streams) else { continue }
      runners[index].advance(account: account, to: watermark, limits: limits)
      if !runners[index].changed.isEmpty { dirty.append(index) }
    }
  }

  /// Judges absence rules against the ingest clock.
  package mutating func tick(now: Timestamp) -> [Alert] {
    let nanoseconds = FieldValue.nanoseconds(now)
    for index in runners.indices { runners[index].check(now: nanoseconds) }
    return collect()
  }

  /// The input has ended (a replay, a rule test): judges everything still waiting for the watermark.
  package mutating func finish() -> [Alert] {
    for index in runners.indices {
      for account in runners[index].state.pending.keys {
        runners[index].advance(account: account, to: .max, limits: limits)
      }
    }
    return collect()
  }

  private mutating func forget() {
    var horizons: [String: Int64] = [:]
    for (partition, clock) in clocks {
      horizons[partition.account] = min(horizons[partition.account] ?? .max, clock &- lateness)
    }
    guard let horizon = horizons.values.min() else { return }
    for index in runners.indices { runners[index].forget(before: horizon, limits: limits) }
  }

  private mutating func collect(_ indices: [Int]? = nil) -> [Alert] {
    var alerts: [Alert] = []
    for index in indices ?? Array(runners.indices) where !runners[index].changed.isEmpty {
      for id in runners[index].changed.sorted() {
        if let accumulator = runners[index].state.alerts[id] { alerts.append(accumulator.alert) }
      }
      runners[index].changed.removeAll(keepingCapacity: true)
    }
    return alerts
  }

  package var statistics: Statistics {
    var statistics = Statistics(events: events, tooLate: tooLate)
    for runner in runners {
      statistics.groups += runner.state.histories.count + runner.state.known.count
      statistics.remembered +=
        runner.state.histories.values.reduce(0) { $0 + $1.entries.count }
        + runner.state.pending.values.reduce(0) { $0 + $1.count }
      statistics.openAlerts += runner.state.alerts.count
      statistics.evicted += runner.state.evicted
    }
    return statistics
  }
}
