import Logging
import ServiceLifecycle
import VigilBase
import VigilCore
import VigilEventsAPIModel

/// Applies retention in the background while collecting: at start, then every interval. Expired
/// events that a consumer has not processed are kept and reported, never deleted silently.
package struct RetentionJob: Service {
  let store: any MaintenanceStore
  let policy: RetentionPolicy
  let interval: Double
  let clock: any VigilClock
  let logger: Logger

  /// How often retention runs while collecting, unless `collector.retention_interval` says otherwise.
  package static let defaultInterval: Double = 3600

  package init(
    store: any MaintenanceStore, policy: RetentionPolicy, interval: Double, clock: any VigilClock, logger: Logger
  ) {
    self.store = store
    self.policy = policy
    self.interval = interval
    self.clock = clock
    self.logger = logger
  }

  package func run() async throws {
    while !Task.isCancelled, !Task.isShuttingDownGracefully {
      await applyOnce()
      do {
        try await cancelWhenGracefulShutdown { try await clock.sleep(seconds: interval) }
      } catch {
        return
      }
    }
  }

  func applyOnce() async {
    do {
      let report = try await store.applyRetention(policy, now: clock.now, force: false)
      if report.deleted > 0 {
        logger.info("retention deleted expired events", metadata: ["deleted": "\(report.deleted)"])
      }
      for warning in report.warnings { logger.warning("\(warning)") }
      if report.deleted > 0, let note = report.consumerNote { logger.notice("\(note)") }
    } catch {
      logger.error("retention failed; it will run again later", metadata: ["error": "\(error)"])
    }
  }
}
