import Logging
import ServiceLifecycle
import UnixSignals
import VigilBase
import VigilCollector
import VigilConfig
import VigilCore
import VigilDashboards
import VigilDetection
import VigilDetectionService
import VigilEnrichment
import VigilEnrichmentRefresh
import VigilEventsAPIModel
import VigilForwarder
import VigilHTTP
import VigilYAML

/// What a run includes. `vigil run` takes everything; `vigil collect` and `vigil backfill` narrow it.
package struct RuntimeOptions: Sendable {
  /// Exit once every stream is caught up (or has failed), instead of tailing until stopped.
  package var untilCaughtUp = false
  /// Backfill: read from this time beside the live cursor, leaving it alone.
  package var since: Timestamp?
  /// Apply retention at start and every `collector.retention_interval`.
  package var retention = true
  package var clock: any VigilClock = SystemClock()
  /// Run the detection rules over the log (`vigil run`, `vigil demo`), when the configuration allows.
  package var detection = false
  /// The configuration file, named in messages about its `detection:` section.
  package var configFile = "vigil.yaml"
  /// Where `HTTPS_PROXY` comes from.
  package var environment: [String: String] = [:]
  /// Serve the web app when the configuration has a `web:` section (`vigil run`, `vigil demo`).
  package var web = false
  /// Deliver to the configured sinks (`vigil run`, `vigil demo`).
  package var sinks = false
  /// Told the web app's bound port once it listens.
  package var webRunning: (@Sendable (Int) async -> Void)?
  /// This process among several sharing a store (leases): host name and process id.
  package var holder = RuntimeOptions.defaultHolder

  package init() {}
}

/// Told what the run does, for progress displays and announcements.
package protocol RuntimeObserver: Sendable {
  /// The accounts are set up; collection starts next.
  func started(_ setup: AccountSetup)
  /// A page was committed.
  func committed(_ report: PageReport)
  /// The service group has ended.
  func finished()
}

/// How a run ended.
package struct RunOutcome: Sendable {
  package var streams: [StreamKey: StreamOutcome]
  package var broken: [AccountSetup.Broken]

  /// Every stream caught up and no account was left out.
  package var succeeded: Bool {
    broken.isEmpty && streams.values.allSatisfy { if case .failed = $0 { false } else { true } }
  }

  /// One line per account left out or stream that failed.
  package var problems: [String] {
    broken.map { "\($0.name): not collected: \($0.reason)" }
      + streams.sorted { $0.key < $1.key }.compactMap { key, outcome in
        if case .failed(let reason) = outcome { "\(key): stopped: \(reason)" } else { nil }
      }
  }
}

/// The composition root: the only place that opens the store, builds the transports and wires the
/// services of a long-running Vigil into one swift-service-lifecycle `ServiceGroup`. SIGINT and SIGTERM
/// drain it: each stream finishes and commits the page in hand, then the group exits cleanly.
///
/// Today the group holds the collectors, retention and enrichment refresh; detection, the sinks and
/// the web app register here as they land.
package enum Runtime {
  /// Settings for the Events API's transport: never a redirect, plain http only to loopback.
  package static func apiHTTPSettings(_ configuration: VigilConfiguration, environment: [String: String])
    -> HTTPSettings
  {
    configuration.http.withProxy(from: environment)
  }

  /// Settings for feed downloads: https redirects only, larger bodies, a longer timeout.
  package static func feedHTTPSettings(_ configuration: VigilConfiguration, environment: [String: String])
    -> HTTPSettings
  {
    var settings = configuration.http.withProxy(from: environment)
    settings.redirects = .httpsOnly(maximum: 5)
    settings.maximumBodyBytes = 256 << 20
    settings.requestTimeout = max(settings.requestTimeout, 120)
    return settings
  }

  /// A transport for one-off calls (`vigil token inspect --online`).
  package static func makeTransport(_ settings: HTTPSettings) throws(UserError) -> any HTTPTransport {
    do {
      return try AsyncHTTPTransport(settings: settings)
    } catch {
      throw UserError("cannot set up HTTP: \(error)")
    }
  }

  /// Runs until stopped (or caught up, with `untilCaughtUp`): opens the store, runs the group, closes.
  package static func run(
    _ configuration: VigilConfiguration, options: RuntimeOptions, logger: Logger,
    observer: (any RuntimeObserver)? = nil, extraServices: [any Service] = []
  ) async throws -> RunOutcome {
    let opened = try await StoreOpener.open(configuration.storage, password: configuration.storagePassword)
    let api = try makeTransport(apiHTTPSettings(configuration, environment: options.environment))
    let feeds: any HTTPTransport
    do {
      feeds = try makeTransport(feedHTTPSettings(configuration, environment: options.environment))
    } catch {
      try? await api.shutdown()
      opened.close()
      throw error
    }
    let result: Result<RunOutcome, any Error>
    do {
      result = .success(
        try await run(
          configuration, store: opened.store, api: api, feeds: feeds, options: options, logger: logger,
          observer: observer, extraServices: extraServices))
    } catch {
      result = .failure(error)
    }
    try? await api.shutdown()
    try? await feeds.shutdown()
    opened.close()
    return try result.get()
  }

  /// The group itself, over a given store and transports (tests pass their own).
  package static func run(
    _ configuration: VigilConfiguration, store: any VigilStore, api: any HTTPTransport, feeds: any HTTPTransport,
    options: RuntimeOptions, logger: Logger, observer: (any RuntimeObserver)?, extraServices: [any Service]
  ) async throws -> RunOutcome {
    let clock = options.clock
    let setup = AccountSetup(
      configuration: configuration, transport: api, clock: clock, logger: logger, since: options.since)
    for account in setup.broken {
      logger.error("account left out", metadata: ["account": .string(account.name), "reason": .string(account.reason)])
    }
    await setup.recordBroken(in: store, at: clock.now)
    observer?.started(setup)
    var collectorOptions = configuration.collector
    collectorOptions.untilCaughtUp = options.untilCaughtUp
    collectorOptions.keepCursor = options.since != nil
    collectorOptions.quarantine = PageQuarantine(directory: configuration.dataDirectory + "/quarantine")
    // Enrichment sources load before the first page, so that every stored event is enriched.
    var enrichment: EnrichmentService?
    if !configuration.enrichment.isEmpty {
      let service = EnrichmentService(
        settings: configuration.enrichment, provider: EnrichmentProvider(), store: store,
        dataDirectory: configuration.dataDirectory, transport: feeds, clock: clock, logger: logger)
      await service.loadNow()
      enrichment = service
    }
    // Several processes may share a PostgreSQL store: each unit of work goes to one at a time.
    let leasing =
      configuration.storage.isShared
      ? CollectorLeasing(store: store, holder: options.holder, seconds: configuration.collector.leaseSeconds) : nil
    func single(_ service: any Service, unit: String) -> any Service {
      guard let leasing else { return service }
      return LeasedService(service, unit: unit, leasing: leasing, clock: clock, logger: logger)
    }
    let collector = Collector(
      accounts: setup.accounts, store: store, clock: clock, options: collectorOptions, logger: logger,
      enrichment: enrichment?.provider, leasing: leasing, report: { observer?.committed($0) })
    var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
      .init(service: collector, successTerminationBehavior: .gracefullyShutdownGroup)
    ]
    if let enrichment { services.append(.init(service: enrichment)) }
    if options.retention {
      let job = RetentionJob(
        store: store, policy: configuration.retention, interval: configuration.retentionInterval, clock: clock,
        logger: logger)
      services.append(.init(service: job))
    }
    if options.detection, configuration.detection.enabled {
      services.append(
        .init(
          service: single(
            try detectionService(configuration, store: store, options: options, logger: logger),
            unit: LeaseUnit.detection)))
    }
    // Notifications are delivered whenever Vigil runs: the outbox also holds what `vigil alerts ack`
    // and `close` add, and what an earlier run left undelivered. One process sends them at a time.
    if options.detection, !configuration.notifications.notifiers.isEmpty {
      let notifiers = try NotifierFactory.make(
        configuration.notifications, http: api, clock: options.clock, environment: options.environment)
      services.append(
        .init(
          service: single(
            NotificationService(
              store: store, notifiers: notifiers, settings: configuration.notifications, clock: options.clock,
              logger: logger),
            unit: LeaseUnit.notifications)))
    }
    if options.web, configuration.web.enabled {
      services.append(
        .init(
          service: try webService(
            configuration, store: store, clock: options.clock, logger: logger, onRunning: options.webRunning)))
      if let metrics = metricsService(configuration, logger: logger) { services.append(.init(service: metrics)) }
    }
    // Sinks run whenever Vigil collects: each tails the log from its own checkpoint, so one that is
    // down holds up neither collection nor the others.
    if options.sinks {
      services += try SinkFactory.services(
        configuration, store: store, http: api, clock: clock, environment: options.environment,
        logger: logger
      ).map { .init(service: single($0, unit: LeaseUnit.sink($0.name))) }
    }
    services += extraServices.map { .init(service: $0) }
    var groupConfiguration = ServiceGroupConfiguration(
      services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
    groupConfiguration.maximumGracefulShutdownDuration = .seconds(60)
    let group = ServiceGroup(configuration: groupConfiguration)
    do {
      try await group.run()
    } catch {
      observer?.finished()
      throw UserError("collection stopped: \(error)")
    }
    observer?.finished()
    return RunOutcome(streams: collector.outcomes, broken: setup.broken)
  }

  /// The detection service over the configured rules; rule problems stop the run before it starts.
  static func detectionService(
    _ configuration: VigilConfiguration, store: any EventStore, options: RuntimeOptions, logger: Logger
  ) throws -> DetectionService {
    let settings = configuration.detection
    let (library, watchlists) = RuleFiles.load(settings, configFile: options.configFile)
    guard library.problems.isEmpty else {
      throw UserError(
        "the detection rules have problems (`vigil rules validate` lists them):\n"
          + library.problems.map(\.description).joined(separator: "\n"))
    }
    return DetectionService(
      store: store, rules: library.rules, watchlists: watchlists, lateness: settings.allowedLateness,
      notifications: configuration.notifications, clock: options.clock, logger: logger)
  }
}
