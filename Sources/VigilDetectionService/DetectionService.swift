import Foundation
import Logging
import ServiceLifecycle
import VigilBase
import VigilCore
import VigilDetection

/// Runs the rules over the store's log: tails it by sequence from the detector's checkpoint, commits
/// the alerts each batch changes, and commits the engine's state with its checkpoint every
/// ``stateInterval`` events or seconds and when it stops. A restart takes up the last state and judges
/// the events after its checkpoint again; alert updates are upserts by id, so nothing is lost and no
/// alert is created twice.
package struct DetectionService: Service, LeaseFenced {
  package static let consumer = "detection"

  package struct Settings: Sendable {
    package var batchSize = 2_000
    /// Seconds between looks at the log when it has nothing new.
    package var pollInterval: Double = 2
    /// Events and seconds between state commits.
    package var stateEvents = 50_000
    package var stateSeconds: Double = 30

    package init() {}
  }

  let store: any (EventLog & AlertStore)
  let rules: [Rule]
  let watchlists: Watchlists
  let lateness: Int64
  let settings: Settings
  let clock: any VigilClock
  let logger: Logger
  /// Which notifiers each new alert goes to (its notifications enter the outbox with it).
  let notifications: NotificationSettings
  /// The lease its commits need when processes share the store (nil: this process alone).
  var fence: LeaseClaim?

  package init(
    store: any (EventLog & AlertStore), rules: [Rule], watchlists: Watchlists, lateness: Int64,
    settings: Settings = Settings(), notifications: NotificationSettings = NotificationSettings(),
    clock: any VigilClock, logger: Logger
  ) {
    self.store = store
    self.rules = rules
    self.watchlists = watchlists
    self.lateness = lateness
    self.settings = settings
    self.clock = clock
    self.logger = logger
    self.notifications = notifications
  }

  package func fenced(by claim: LeaseClaim) -> DetectionService {
    var fenced = self
    fenced.fence = claim
    return fenced
  }

  package func run() async throws {
    var engine = DetectionEngine(rules: rules, watchlists: watchlists, lateness: lateness)
    var sequence: Int64 = 0
    if let saved = try await store.detectionState(Self.consumer) {
      sequence = saved.sequence
      do {
        let dropped = engine.restore(try DetectionSnapshot.decode(Data(saved.state)))
        if !dropped.isEmpty {
          logger.notice("state of rules no longer loaded was dropped", metadata: ["rules": "\(dropped)"])
        }
      } catch {
        logger.warning(
          "the saved detection state cannot be read; windows start empty", metadata: ["error": "\(error)"])
      }
    }
    logger.info("detection started", metadata: ["rules": "\(engine.rules.count)", "after": "\(sequence)"])
    var sinceState = 0
    var lastState = clock.now
    while !Task.isCancelled, !Task.isShuttingDownGracefully {
      let batch = try await store.events(after: sequence, limit: settings.batchSize)
      var changed: [AlertID: Alert] = [:]
      for stored in batch {
        for alert in engine.observe(stored.event, sequence: stored.sequence) { changed[alert.id] = alert }
      }
      DetectionMetrics.judged(batch, rules: engine.rules)
      for alert in engine.tick(now: clock.now) { changed[alert.id] = alert }
      if let last = batch.last { sequence = last.sequence }
      sinceState += batch.count
      let due =
        sinceState >= settings.stateEvents || clock.now.epochSeconds - lastState.epochSeconds >= settings.stateSeconds
      if !changed.isEmpty || (due && sinceState > 0) {
        try await commit(changed, engine: engine, sequence: sequence, withState: due)
        if due {
          sinceState = 0
          lastState = clock.now
        }
      }
      if batch.count < settings.batchSize {
        do {
          try await cancelWhenGracefulShutdown { try await clock.sleep(seconds: settings.pollInterval) }
        } catch {
          break
        }
      }
    }
    if sinceState > 0 { try await commit([:], engine: engine, sequence: sequence, withState: true) }
    logger.info("detection stopped", metadata: ["after": "\(sequence)"])
  }

  private func commit(_ changed: [AlertID: Alert], engine: DetectionEngine, sequence: Int64, withState: Bool)
    async throws
  {
    let now = clock.now
    let records = changed.keys.sorted().compactMap { changed[$0]?.record(at: now) }
    var progress: DetectionProgress?
    if withState {
      progress = DetectionProgress(
        consumer: Self.consumer, state: Array(try engine.snapshot.encoded()), sequence: sequence)
    }
    var notify: [String: [String]] = [:]
    for record in records {
      let names = notifications.notifiers(for: record)
      if !names.isEmpty { notify[record.id] = names }
    }
    let ids = Set(try await store.commitDetection(records, progress: progress, notify: notify, at: now, fence: fence))
    for alert in records where ids.contains(alert.id) {
      DetectionMetrics.raised(alert)
      logger.notice(
        "alert", metadata: ["rule": "\(alert.rule)", "severity": "\(alert.severity.rawValue)", "id": "\(alert.id)"])
    }
  }
}
