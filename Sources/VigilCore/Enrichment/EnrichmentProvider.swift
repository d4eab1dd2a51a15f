import Synchronization

/// The enrichment collectors apply, swapped whole when a source reloads: a reader takes the current
/// snapshot and keeps using it for its page, so a reload never shows a half-loaded feed.
package final class EnrichmentProvider: Sendable {
  private let current = Mutex<(any EventEnricher)?>(nil)

  package init(_ enricher: (any EventEnricher)? = nil) { current.withLock { $0 = enricher } }

  package var enricher: (any EventEnricher)? { current.withLock { $0 } }

  package func replace(with enricher: any EventEnricher) { current.withLock { $0 = enricher } }
}
