import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import VigilBase
import VigilCollector
import VigilCore

/// Runs a service (detection, one sink, the notification sender) in one process at a time among
/// several sharing a PostgreSQL store: only while this process holds the unit's lease. When the lease
/// goes to another process (this one stalled past it), the service is cancelled here and waits to
/// take it again.
///
/// A ``LeaseFenced`` service (detection, sinks) runs with the claim and fences its progress with it,
/// like the collector's commits: a holder that stalled past its lease has its next commit or checkpoint
/// refused (``StoreError/leaseLost(unit:)``), which ends its turn here, so it never writes over the new
/// holder's progress. What it sent meanwhile is sent again by the new holder (at least once).
///
/// A turn that ends on a store error (PostgreSQL restarted under it) gives the unit up and asks for it
/// again after a third of the lease, so the process outlives a server restart; meanwhile another host
/// may take the unit.
final class LeasedService: Service {
  /// How one turn with the lease ended.
  enum Turn {
    /// The service returned (a graceful shutdown).
    case finished
    /// Another holder has the unit.
    case lost
    /// The store failed under the service.
    case failed(StoreError)
  }

  private let inner: any Service
  private let unit: String
  private let leasing: CollectorLeasing
  private let clock: any VigilClock
  private let logger: Logger

  init(_ inner: any Service, unit: String, leasing: CollectorLeasing, clock: any VigilClock, logger: Logger) {
    self.inner = inner
    self.unit = unit
    self.leasing = leasing
    self.clock = clock
    var logger = logger
    logger[metadataKey: "unit"] = .string(unit)
    self.logger = logger
  }

  func run() async throws {
    var waiting = false
    while !Task.isCancelled, !Task.isShuttingDownGracefully {
      let claim: LeaseClaim?
      do {
        claim = try await leasing.store.acquireLease(unit, holder: leasing.holder, seconds: leasing.seconds)
      } catch {
        logger.warning("cannot ask for the lease", metadata: ["error": "\(error)"])
        claim = nil
      }
      guard let claim else {
        if !waiting { logger.info("another worker holds this unit; waiting for its lease to end") }
        waiting = true
        guard await pause() else { return }
        continue
      }
      waiting = false
      logger.notice("took the lease", metadata: ["epoch": "\(claim.epoch)"])
      switch try await runHolding(claim) {
      case .finished:
        try? await leasing.store.releaseLease(claim)
        return
      case .lost:
        logger.warning("lost the lease; another worker runs this unit now")
      case .failed(let error):
        try? await leasing.store.releaseLease(claim)
        logger.error(
          "the store failed under this unit; asking for it again",
          metadata: ["error": "\(error)", "retry_in_s": "\(leasing.seconds / 3)"])
        guard await pause() else { return }
      }
    }
  }

  /// Waits a third of the lease before asking again; false when the process is stopping.
  private func pause() async -> Bool {
    do {
      try await cancelWhenGracefulShutdown { try await self.clock.sleep(seconds: self.leasing.seconds / 3) }
      return true
    } catch {
      return false
    }
  }

  /// The service for one turn: fenced by `claim` when it fences its writes.
  private func service(holding claim: LeaseClaim) -> any Service {
    guard let fenced = inner as? any Service & LeaseFenced else { return inner }
    return fenced.fenced(by: claim)
  }

  /// Runs the service while renewing `claim`, until the service returns or fails, or the lease is
  /// lost (the renewal found another holder, or the store refused one of the service's fenced writes).
  private func runHolding(_ claim: LeaseClaim) async throws -> Turn {
    let (service, leasing, clock, logger) = (self.service(holding: claim), self.leasing, self.clock, self.logger)
    return try await withThrowingTaskGroup(of: Turn.self) { group in
      group.addTask {
        do {
          try await service.run()
        } catch is CancellationError {
        } catch StoreError.leaseLost {
          return .lost
        } catch let error as StoreError {
          return .failed(error)
        }
        return .finished
      }
      group.addTask {
        while true {
          try await clock.sleep(seconds: leasing.seconds / 3)
          do {
            let renewed = try await leasing.store.acquireLease(
              claim.unit, holder: leasing.holder, seconds: leasing.seconds)
            if renewed != claim { return .lost }
          } catch let error as StoreError {
            logger.warning("cannot renew the lease", metadata: ["error": "\(error)"])
          }
        }
      }
      // The first to end decides: the service stopped or failed, or the lease was lost.
      let turn = try await group.next() ?? .finished
      group.cancelAll()
      return turn
    }
  }
}

extension RuntimeOptions {
  /// `HOST:PID`: unique among live processes, and tells the operator where to look.
  static var defaultHolder: String {
    let host = ProcessInfo.processInfo.hostName
    return "\(host):\(getpid())"
  }
}

extension StorageURL {
  /// Whether other processes may share this store (and so leases divide the work).
  package var isShared: Bool {
    if case .postgres = self { return true }
    return false
  }
}
