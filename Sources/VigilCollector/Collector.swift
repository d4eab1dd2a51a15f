import Logging
import ServiceLifecycle
import Synchronization
import VigilBase
import VigilCore
import VigilEventsAPI
import VigilEventsAPIModel

/// Collects every configured account × stream into the store, each in its own task; a token's
/// streams share its rate budget through their client. A failing account never holds up another.
/// As a service it stops gracefully: each stream finishes and commits the page in hand. With leasing,
/// several processes share the streams (``CollectorLeasing``).
package final class Collector: Service {
  package let accounts: [CollectorAccount]
  private let store: any IngestStore
  private let clock: any VigilClock
  private let options: CollectorOptions
  private let logger: Logger
  private let report: @Sendable (PageReport) -> Void
  private let enrichment: EnrichmentProvider?
  private let leasing: CollectorLeasing?
  package let control = CollectorControl()
  private let finished = Mutex<[StreamKey: StreamOutcome]>([:])

  /// How each stream ended, once ``run()`` has returned.
  package var outcomes: [StreamKey: StreamOutcome] { finished.withLock { $0 } }

  package init(
    accounts: [CollectorAccount], store: any IngestStore, clock: any VigilClock, options: CollectorOptions,
    logger: Logger, enrichment: EnrichmentProvider? = nil, leasing: CollectorLeasing? = nil,
    report: @escaping @Sendable (PageReport) -> Void = { _ in }
  ) {
    self.enrichment = enrichment
    self.leasing = leasing
    self.accounts = accounts
    self.store = store
    self.clock = clock
    self.options = options
    self.logger = logger
    self.report = report
  }

  /// Runs until stopped (or, with `untilCaughtUp`, until every stream is caught up or has failed).
  package func collect() async -> [StreamKey: StreamOutcome] {
    await withTaskGroup(of: (StreamKey, StreamOutcome).self) { group in
      for account in accounts {
        for stream in account.streams {
          let key = StreamKey(account: account.name, stream: stream)
          var logger = self.logger
          logger[metadataKey: "account"] = .string(account.name)
          logger[metadataKey: "stream"] = .string(stream.rawValue)
          let collector = StreamCollector(
            key: key, account: account, store: store, clock: clock, options: options, logger: logger,
            control: control, enrichment: enrichment, report: report)
          if let leasing {
            let control = self.control
            group.addTask { (key, await collector.runLeased(leasing, parent: control)) }
          } else {
            group.addTask { (key, await collector.run()) }
          }
        }
      }
      var outcomes: [StreamKey: StreamOutcome] = [:]
      for await (key, outcome) in group { outcomes[key] = outcome }
      return outcomes
    }
  }

  package func run() async throws {
    let outcomes = await withGracefulShutdownHandler {
      await collect()
    } onGracefulShutdown: {
      self.control.stop()
    }
    finished.withLock { $0 = outcomes }
  }
}
