import Logging
import VigilBase
import VigilConfig
import VigilCore
import VigilEnrichment
import VigilEnrichmentRefresh

/// The one-shot jobs commands run against the store, each one function.
extension Runtime {
  /// `vigil retention apply`.
  package static func applyRetention(_ configuration: VigilConfiguration, force: Bool, now: Timestamp)
    async throws(UserError) -> RetentionReport
  {
    let opened = try await StoreOpener.open(configuration.storage, password: configuration.storagePassword)
    defer { opened.close() }
    do {
      return try await opened.store.applyRetention(configuration.retention, now: now, force: force)
    } catch {
      throw UserError(error.description)
    }
  }

  /// `vigil intel rescan`: loads the sources as collection would (URL feeds from their last download,
  /// none fetched), then enriches again every stored event from `since` on. Returns the report and the
  /// sources that failed to load.
  package static func rescan(
    _ configuration: VigilConfiguration, since: Timestamp, logger: Logger, progress: @Sendable (Int) -> Void
  ) async throws(UserError) -> (report: RescanReport, problems: [SourceStatus]) {
    guard !configuration.enrichment.isEmpty else {
      throw UserError("no enrichment sources configured: add an `enrichment:` section (docs/enrichment.md)")
    }
    let opened = try await StoreOpener.open(configuration.storage, password: configuration.storagePassword)
    defer { opened.close() }
    let store = opened.store
    let service = EnrichmentService(
      settings: configuration.enrichment, provider: EnrichmentProvider(), store: store,
      dataDirectory: configuration.dataDirectory, transport: NoNetwork(), clock: SystemClock(), logger: logger)
    await service.loadNow(download: false)
    let problems = ((try? await store.sourceStatuses()) ?? []).filter { $0.error != nil }
    guard let enricher = service.provider.enricher else { throw UserError("no enrichment source could be loaded") }
    do {
      let report = try await Rescan.run(on: store, since: since, with: enricher, progress: progress)
      return (report, problems)
    } catch {
      throw UserError(error.description)
    }
  }
}

/// A transport for jobs that must not reach the network (a rescan reads feeds from their last download).
struct NoNetwork: HTTPTransport {
  func send(method: String, url: String, headers: [(String, String)], body: [UInt8]?) async throws -> HTTPExchange {
    throw TransportFailure("this command does not download; run `vigil run` or `vigil collect` to refresh feeds")
  }

  func shutdown() async throws {}
}
