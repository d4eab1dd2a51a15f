import Enrichment
import Synchronization
import VigilCore

/// The enrichment collectors apply, swapped whole when a source reloads: a reader takes the current
/// snapshot and keeps using it for its page, so a reload never shows a half-loaded feed.
package final class EnrichmentProvider: Sendable {
  private let current = Mutex<SourceEnricher?>(nil)

  package init(_ enricher: SourceEnricher? = nil) { current.withLock { $0 = enricher } }

  package var enricher: SourceEnricher? { current.withLock { $0 } }

  package func replace(with enricher: SourceEnricher) { current.withLock { $0 = enricher } }
}
