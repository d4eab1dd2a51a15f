import Foundation
import Logging
import ServiceLifecycle
import VigilBase
import VigilCore
import VigilEnrichment

/// Keeps the enrichment sources current while Vigil runs: checks files for changes every
/// `checkInterval`, downloads URL feeds every `refresh`, reloads what changed, swaps the provider's
/// snapshot and records every source's status in the store for `vigil status`.
package final class EnrichmentService: Service {
  package let settings: EnrichmentSettings
  package let provider: EnrichmentProvider
  private let store: any SourceStatusStore
  private let cacheDirectory: String
  private let clock: any VigilClock
  private let logger: Logger
  private let downloader: FeedDownloader

  package init(
    settings: EnrichmentSettings, provider: EnrichmentProvider, store: any SourceStatusStore, dataDirectory: String,
    transport: any HTTPTransport, clock: any VigilClock, logger: Logger
  ) {
    self.settings = settings
    self.provider = provider
    self.store = store
    self.cacheDirectory = dataDirectory + "/intel"
    self.clock = clock
    self.logger = logger
    self.downloader = FeedDownloader(transport: transport)
  }

  private var loader: EnrichmentLoader {
    let directory = cacheDirectory
    return EnrichmentLoader(settings: settings, cachePath: { Self.cachePath($0, in: directory) }) { path in
      guard let data = FileManager.default.contents(atPath: path) else {
        throw SourceError.unreadable("\(path) does not exist or cannot be read")
      }
      return Array(data)
    }
  }

  /// Where a URL feed's last download is kept.
  package static func cachePath(_ feed: FeedSettings, in directory: String) -> String {
    directory + "/" + feed.name + ".feed"
  }

  /// Loads every source once (before collection starts, so the first events are enriched). URL
  /// feeds never downloaded are fetched first when `download` is set.
  package func loadNow(download shouldDownload: Bool = true) async {
    var downloads: [String: DownloadResult] = [:]
    for feed in settings.feeds where shouldDownload {
      if case .url(let url) = feed.location,
        !FileManager.default.fileExists(atPath: Self.cachePath(feed, in: cacheDirectory))
      {
        downloads[feed.name] = await download(feed, url: url)
      }
    }
    await reload(downloads: downloads)
  }

  package func run() async throws {
    try await cancelWhenGracefulShutdown { try await self.watch() }
  }

  private func watch() async throws {
    var signatures = currentSignatures()
    var lastDownload: [String: Double] = [:]
    let start = clock.now.epochSeconds
    for feed in settings.feeds { lastDownload[feed.name] = start }
    while !Task.isCancelled {
      do {
        try await clock.sleep(seconds: settings.checkInterval)
      } catch {
        return
      }
      if Task.isCancelled { return }
      var downloads: [String: DownloadResult] = [:]
      let now = clock.now.epochSeconds
      for feed in settings.feeds {
        guard case .url(let url) = feed.location, now - (lastDownload[feed.name] ?? 0) >= feed.refresh else { continue }
        lastDownload[feed.name] = now
        downloads[feed.name] = await download(feed, url: url)
      }
      let latest = currentSignatures()
      guard latest != signatures || !downloads.isEmpty else { continue }
      signatures = latest
      logger.info("enrichment sources changed; reloading")
      await reload(downloads: downloads)
    }
  }

  private enum DownloadResult {
    case saved(Timestamp)
    case failed(String)
  }

  private func download(_ feed: FeedSettings, url: String) async -> DownloadResult {
    do {
      let bytes = try await downloader.fetch(url)
      try FileManager.default.createDirectory(atPath: cacheDirectory, withIntermediateDirectories: true)
      // Written aside then renamed: a reader never sees half a feed.
      try AtomicFile.write(bytes, to: Self.cachePath(feed, in: cacheDirectory))
      logger.info("feed downloaded", metadata: ["feed": .string(feed.name), "bytes": "\(bytes.count)"])
      return .saved(clock.now)
    } catch {
      logger.warning(
        "feed download failed; keeping the previous download",
        metadata: ["feed": .string(feed.name), "error": "\(error)"])
      return .failed("\(error)")
    }
  }

  private func reload(downloads: [String: DownloadResult]) async {
    let (enricher, loaded) = loader.load(now: clock.now, previous: provider.enricher as? SourceEnricher)
    provider.replace(with: enricher)
    var statuses = loaded
    let previous = (try? await store.sourceStatuses()) ?? []
    for index in statuses.indices {
      let name = statuses[index].name
      statuses[index].refreshedAt = previous.first { $0.name == name }?.refreshedAt
      switch downloads[name] {
      case .saved(let time)?: statuses[index].refreshedAt = time
      case .failed(let reason)?: statuses[index].error = "download failed: \(reason)"
      case nil: break
      }
      if let error = statuses[index].error {
        logger.warning("enrichment source not loaded", metadata: ["source": .string(name), "error": .string(error)])
      } else {
        logger.debug(
          "enrichment source loaded", metadata: ["source": .string(name), "entries": "\(statuses[index].entries)"])
      }
    }
    do {
      try await store.recordSources(statuses)
    } catch {
      logger.error("cannot record enrichment status in the store", metadata: ["error": "\(error)"])
    }
  }

  /// Modification time and size of every file source (a changed pair means reload).
  private func currentSignatures() -> [String: String] {
    var paths = [settings.cityDatabase, settings.asnDatabase].compactMap { $0 } + settings.lookups.values
    for feed in settings.feeds {
      if case .file(let path) = feed.location { paths.append(path) }
    }
    var signatures: [String: String] = [:]
    for path in paths {
      let attributes = try? FileManager.default.attributesOfItem(atPath: path)
      let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
      let size = (attributes?[.size] as? NSNumber)?.intValue ?? -1
      signatures[path] = "\(modified)/\(size)"
    }
    return signatures
  }
}

/// Downloads feeds through the runtime's transport (its proxy and trust settings; https redirects
/// only, credentials dropped across hosts), with a size cap set by that transport.
struct FeedDownloader: Sendable {
  let transport: any HTTPTransport

  struct Failure: Error, CustomStringConvertible {
    var description: String
  }

  func fetch(_ url: String) async throws -> [UInt8] {
    let response: HTTPExchange
    do {
      response = try await transport.send(
        method: "GET", url: url, headers: [("User-Agent", "Vigil (threat-feed refresh)")], body: nil)
    } catch let failure as TransportFailure {
      throw Failure(description: failure.reason)
    }
    guard response.status == 200 else {
      throw Failure(description: "HTTP \(response.status) from \(URLText.withoutCredentials(url))")
    }
    return response.body
  }
}
