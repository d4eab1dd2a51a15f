import Logging
import ServiceLifecycle
import VigilBase
import VigilCore
import VigilDetection

/// Delivers the outbox: takes the notifications that are due, sends each through its notifier, and
/// records how it went. A failure is retried with capped exponential backoff until
/// ``NotificationSettings/maximumAttempts``; while a notifier is failing, its other notifications wait
/// for the same retry instead of hammering a receiver that is down, and they keep their order (a
/// PagerDuty resolve never overtakes its trigger).
package struct NotificationService: Service {
  let store: any (NotificationOutbox & AlertStore)
  let notifiers: [String: any Notifier]
  let settings: NotificationSettings
  let clock: any VigilClock
  let logger: Logger
  /// Seconds between looks at the outbox (status changes from `vigil alerts` arrive through it too).
  let pollInterval: Double

  package init(
    store: any (NotificationOutbox & AlertStore), notifiers: [any Notifier], settings: NotificationSettings,
    clock: any VigilClock, logger: Logger, pollInterval: Double = 1
  ) {
    self.store = store
    self.notifiers = Dictionary(notifiers.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    self.settings = settings
    self.clock = clock
    self.logger = logger
    self.pollInterval = pollInterval
  }

  package func run() async throws {
    var pass = DeliveryPass()
    var pruned: Timestamp?
    while !Task.isCancelled, !Task.isShuttingDownGracefully {
      do {
        try await deliverDue(&pass)
        if pruned.map({ clock.now.epochSeconds - $0.epochSeconds >= 3_600 }) ?? true {
          let forgotten = try await store.pruneNotifications(before: clock.now.adding(seconds: -settings.keepHandled))
          if forgotten > 0 { logger.debug("old notifications forgotten", metadata: ["count": "\(forgotten)"]) }
          pruned = clock.now
        }
      } catch {
        logger.warning("cannot read the notification outbox; will retry", metadata: ["error": "\(error)"])
      }
      do {
        try await cancelWhenGracefulShutdown { try await clock.sleep(seconds: pollInterval) }
      } catch {
        break
      }
    }
  }

  /// What one run remembers between passes: until when each failing notifier waits.
  package struct DeliveryPass: Sendable {
    var blockedUntil: [String: Timestamp] = [:]

    package init() {}
  }

  /// One pass over what is due now; returns how many notifications were delivered. Notifiers are
  /// served side by side (a slow relay does not hold up a webhook); each one's queue in order.
  @discardableResult
  package func deliverDue(_ pass: inout DeliveryPass) async throws(StoreError) -> Int {
    let now = clock.now
    let due = try await store.dueNotifications(at: now, limit: 500)
    let byNotifier = Dictionary(grouping: due, by: \.notifier).filter { name, _ in
      pass.blockedUntil[name].map { $0 <= now } ?? true
    }
    var delivered = 0
    do {
      try await withThrowingTaskGroup(of: (name: String, blockedUntil: Timestamp?, delivered: Int).self) { group in
        for (name, entries) in byNotifier {
          group.addTask { try await deliver(entries, notifier: name) }
        }
        for try await result in group {
          pass.blockedUntil[result.name] = result.blockedUntil
          delivered += result.delivered
        }
      }
    } catch let error as StoreError {
      throw error
    } catch {
      throw StoreError.other("\(error)")
    }
    return delivered
  }

  /// One notifier's due notifications in order, until one must wait for a retry.
  private func deliver(_ entries: [OutboxEntry], notifier name: String) async throws(StoreError)
    -> (name: String, blockedUntil: Timestamp?, delivered: Int)
  {
    var random = SystemRandomNumberGenerator()
    var delivered = 0
    for entry in entries {
      let outcome = await attempt(entry, random: &random)
      try await store.recordDelivery(entry.id, outcome: outcome, at: clock.now)
      report(entry, outcome)
      switch outcome {
      case .delivered: delivered += 1
      case .retry(_, let next): return (name, next, delivered)
      case .skipped, .failed: break
      }
    }
    return (name, nil, delivered)
  }

  private func attempt(_ entry: OutboxEntry, random: inout SystemRandomNumberGenerator) async -> DeliveryOutcome {
    guard let notifier = notifiers[entry.notifier] else {
      return .failed(error: "notifier \(entry.notifier) is no longer configured")
    }
    guard notifier.sends(entry.action) else { return .skipped }
    let alert: AlertRecord?
    do {
      alert = try await store.alert(entry.alertID)
    } catch {
      return .retry(
        error: "cannot read alert \(entry.alertID): \(error)", next: clock.now.adding(seconds: settings.retryBase))
    }
    guard let alert else { return .failed(error: "alert \(entry.alertID) no longer exists") }
    do {
      try await notifier.deliver(Notification(alert: alert, action: entry.action, delivery: entry.id))
      return .delivered
    } catch {
      let attempts = entry.attempts + 1
      if error.permanent { return .failed(error: error.message) }
      if attempts >= settings.maximumAttempts {
        return .failed(error: "gave up after \(attempts) attempts: \(error.message)")
      }
      var wait = Backoff(base: settings.retryBase, cap: settings.retryCap).delay(attempt: attempts - 1, using: &random)
      if let asked = error.retryAfter { wait = max(wait, min(asked, settings.retryCap)) }
      return .retry(error: error.message, next: clock.now.adding(seconds: wait))
    }
  }

  private func report(_ entry: OutboxEntry, _ outcome: DeliveryOutcome) {
    let metadata: Logger.Metadata = [
      "notifier": "\(entry.notifier)", "alert": "\(entry.alertID)", "action": "\(entry.action.rawValue)",
      "delivery": "\(entry.id)",
    ]
    switch outcome {
    case .delivered: logger.info("notification delivered", metadata: metadata)
    case .skipped: logger.debug("notification not sent: the notifier does not send this action", metadata: metadata)
    case .retry(let error, let next):
      logger.warning(
        "notification failed; will retry", metadata: metadata.merging(["error": "\(error)", "next": "\(next)"]) { $1 })
    case .failed(let error):
      logger.error("notification failed for good", metadata: metadata.merging(["error": "\(error)"]) { $1 })
    }
  }
}
