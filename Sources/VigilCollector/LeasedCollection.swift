import Logging
import Synchronization
import VigilBase
import VigilCore

/// How collectors in several processes share the account × stream units of one store: each unit is
/// collected only while this process holds its lease (``LeaseStore``), renewed every third of its
/// length. A unit whose holder died passes to another process once the lease runs out; a holder that
/// stalls past its lease cannot commit any more (the store fences each commit with the claim).
package struct CollectorLeasing: Sendable {
  package var store: any LeaseStore
  /// This process, as `vigil status` shows it (host name and process id).
  package var holder: String
  /// How long a lease lasts without renewal: how long a dead worker's units wait for another.
  package var seconds: Double

  package init(store: any LeaseStore, holder: String, seconds: Double = 30) {
    self.store = store
    self.holder = holder
    self.seconds = seconds
  }
}

extension StreamCollector {
  /// Collects the stream whenever this process holds its lease: asks for it, collects while it
  /// holds it, asks again after losing it, and releases it when stopping. Run until caught up, a
  /// stream that another worker holds counts as done once that worker records it caught up after
  /// this run began (a `vigil collect --until-caught-up` beside a long-running `vigil run`).
  func runLeased(_ leasing: CollectorLeasing, parent: CollectorControl) async -> StreamOutcome {
    let unit = LeaseUnit.collect(key)
    let started = clock.now
    var waiting = false
    // A stop, or the task's cancellation (the service group ends it when another service failed).
    var stopping: Bool { parent.isStopping || Task.isCancelled }
    while !stopping {
      let claim: LeaseClaim?
      do {
        claim = try await leasing.store.acquireLease(unit, holder: leasing.holder, seconds: leasing.seconds)
      } catch {
        if stopping { return .stopped }
        logger.warning("cannot ask for the stream's lease; asking again", metadata: ["error": "\(error)"])
        guard await parent.idle(leasing.seconds / 3, clock: clock) else { return .stopped }
        continue
      }
      guard let claim else {
        if !waiting { logger.info("another worker holds the stream; waiting for its lease to end") }
        waiting = true
        if options.untilCaughtUp, await caughtUpElsewhere(since: started) {
          logger.info("another worker caught the stream up")
          return .caughtUp
        }
        guard await parent.idle(leasing.seconds / 3, clock: clock) else { return .stopped }
        continue
      }
      waiting = false
      logger.notice("took the stream's lease", metadata: ["epoch": "\(claim.epoch)"])
      var held = self
      held.claim = claim
      held.control = CollectorControl(parent: parent)
      let unitControl = held.control
      let collector = held
      let (clock, logger) = (self.clock, self.logger)
      let lost = LostFlag()
      let outcome = await withTaskGroup(of: StreamOutcome?.self) { group in
        group.addTask { await collector.run() }
        group.addTask {
          await Self.renew(claim, leasing, control: unitControl, clock: clock, logger: logger, lost: lost)
          return nil
        }
        var outcome: StreamOutcome = .stopped
        while let next = await group.next() {
          if let next {
            outcome = next
            unitControl.stop()
          }
        }
        return outcome
      }
      if lost.value || (unitControl.isStopping && !stopping && outcome == .stopped) {
        logger.warning("lost the stream's lease; another worker collects it now")
        continue
      }
      do {
        try await leasing.store.releaseLease(claim)
      } catch {
        logger.warning("cannot release the stream's lease; it ends by itself", metadata: ["error": "\(error)"])
      }
      return outcome
    }
    return .stopped
  }

  /// Whether the stored state says the stream was caught up at or after `time`.
  private func caughtUpElsewhere(since time: Timestamp) async -> Bool {
    do {
      guard let caughtUp = try await store.streamState(key)?.caughtUpAt else { return false }
      return caughtUp >= time
    } catch {
      logger.warning("cannot read the stream's state from the store", metadata: ["error": "\(error)"])
      return false
    }
  }

  /// Renews the lease every third of its length until the stream stops; stops the stream when
  /// another holder has the unit.
  private static func renew(
    _ claim: LeaseClaim, _ leasing: CollectorLeasing, control: CollectorControl, clock: any VigilClock,
    logger: Logger, lost: LostFlag
  ) async {
    while await control.idle(leasing.seconds / 3, clock: clock) {
      do {
        let renewed = try await leasing.store.acquireLease(claim.unit, holder: leasing.holder, seconds: leasing.seconds)
        if renewed != claim {
          lost.set()
          control.stop()
          return
        }
      } catch {
        // The store's fence keeps a late commit out; keep trying while the lease may still run.
        logger.warning("cannot renew the stream's lease", metadata: ["error": "\(error)"])
      }
    }
  }
}

/// Set once by the renewer when the lease went to another holder.
final class LostFlag: Sendable {
  private let flag = Mutex(false)
  func set() { flag.withLock { $0 = true } }
  var value: Bool { flag.withLock { $0 } }
}
