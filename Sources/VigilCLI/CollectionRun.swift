import Collector
import Enrichment
import EventsAPI
import EventsAPIModel
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals
import VigilConfig
import VigilCore

/// One collection run, shared by `vigil collect`, `vigil backfill` and `vigil demo`: the collector
/// and the retention job in one service group that stops gracefully on SIGINT and SIGTERM.
struct CollectionRun {
  var configuration: VigilConfiguration
  var store: any EventStore
  var logger: Logger
  var untilCaughtUp = false
  /// Backfill: read from this time beside the live cursor, leaving it alone.
  var since: Timestamp?
  var retention = true
  var clock: any VigilClock = SystemClock()
  /// Called once when every stream has caught up for the first time.
  var onCaughtUp: (@Sendable (_ events: Int, _ seconds: Double) -> Void)?

  /// Runs until stopped or caught up; returns how each stream ended and the accounts left out.
  func run(extraServices: [any Service] = [], announce: (AccountSetup) -> Void = { _ in }) async throws
    -> (outcomes: [StreamKey: StreamOutcome], broken: [(name: String, streams: [EventStream], reason: String)])
  {
    let transport: AsyncHTTPTransport
    do {
      transport = try AsyncHTTPTransport(options: .init())
    } catch {
      throw CLIError("cannot set up HTTP: \(error)")
    }
    let result: Result<(outcomes: [StreamKey: StreamOutcome], broken: [BrokenAccount]), any Error>
    do {
      result = .success(try await run(transport: transport, extraServices: extraServices, announce: announce))
    } catch {
      result = .failure(error)
    }
    try? await transport.shutdown()
    return try result.get()
  }

  typealias BrokenAccount = (name: String, streams: [EventStream], reason: String)

  private func run(transport: AsyncHTTPTransport, extraServices: [any Service], announce: (AccountSetup) -> Void)
    async throws -> (outcomes: [StreamKey: StreamOutcome], broken: [BrokenAccount])
  {
    let setup = AccountSetup(
      configuration: configuration, transport: transport, clock: clock, logger: logger, since: since)
    for account in setup.broken {
      logger.error("account left out", metadata: ["account": .string(account.name), "reason": .string(account.reason)])
    }
    await setup.recordBroken(in: store, at: clock.now)
    announce(setup)
    var options = CollectorOptions()
    options.pollInterval = configuration.collector.pollInterval
    options.unauthorizedRetry = configuration.collector.unauthorizedRetry
    options.untilCaughtUp = untilCaughtUp
    options.keepCursor = since != nil
    let progress = ProgressDisplay(
      logger: logger, clock: clock, expectedStreams: setup.accounts.reduce(0) { $0 + $1.streams.count },
      onCaughtUp: onCaughtUp)
    // Enrichment sources load before the first page, so that every stored event is enriched.
    var enrichment: EnrichmentService?
    if !configuration.enrichment.isEmpty {
      let service = EnrichmentService(
        settings: configuration.enrichment, provider: EnrichmentProvider(), store: store,
        dataDirectory: configuration.dataDirectory, clock: clock, logger: logger)
      await service.loadNow()
      enrichment = service
    }
    let collector = Collector(
      accounts: setup.accounts, store: store, clock: clock, options: options, logger: logger,
      enrichment: enrichment?.provider, report: { progress.record($0) })
    var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
      .init(service: collector, successTerminationBehavior: .gracefullyShutdownGroup)
    ]
    if let enrichment { services.append(.init(service: enrichment)) }
    if retention {
      let job = RetentionJob(
        store: store, policy: configuration.retention, interval: configuration.collector.retentionInterval,
        clock: clock, logger: logger)
      services.append(.init(service: job))
    }
    services += extraServices.map { .init(service: $0) }
    var groupConfiguration = ServiceGroupConfiguration(
      services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
    groupConfiguration.maximumGracefulShutdownDuration = .seconds(60)
    let group = ServiceGroup(configuration: groupConfiguration)
    do {
      try await group.run()
    } catch {
      progress.finish()
      throw CLIError("collection stopped: \(error)")
    }
    progress.finish()
    return (collector.outcomes, setup.broken)
  }

  /// Prints the streams that did not finish; true when every stream caught up.
  static func report(
    outcomes: [StreamKey: StreamOutcome], broken: [(name: String, streams: [EventStream], reason: String)]
  ) -> Bool {
    var ok = broken.isEmpty
    for account in broken { say("\(account.name): not collected: \(account.reason)") }
    for (key, outcome) in outcomes.sorted(by: { $0.key < $1.key }) {
      if case .failed(let reason) = outcome {
        ok = false
        say("\(key): stopped: \(reason)")
      }
    }
    return ok
  }
}
