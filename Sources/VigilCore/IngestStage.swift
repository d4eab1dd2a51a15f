import VigilBase
import VigilEventsAPIModel

/// The pure step between the API and the store: one page of one account's stream becomes a batch of
/// normalized, enriched events, ready to commit with its cursor. No I/O; the collector calls it once
/// per page with the enrichment snapshot current for that page.
package struct IngestStage: Sendable {
  package var key: StreamKey

  package init(key: StreamKey) { self.key = key }

  /// What a page becomes.
  package struct Output: Sendable {
    package var batch: IngestBatch
    /// The newest event time in the page: how far the stream has read.
    package var position: Timestamp?
  }

  /// - Parameters:
  ///   - cursor: the cursor to commit with the batch; nil leaves the stored one alone (backfills).
  ///   - enricher: one snapshot for the whole page, so a reload never splits a page between versions.
  package func process(
    _ page: EventPage, cursor: String?, caughtUp: Bool, at now: Timestamp, enricher: (any EventEnricher)?
  ) -> Output {
    var events: [CanonicalEvent] = []
    events.reserveCapacity(page.items.count)
    var malformed = page.malformedItems
    var position: Timestamp?
    var memo = EnrichmentMemo()
    for item in page.items {
      do {
        var event = try Normalizer.normalize(item, account: key.account, ingestedAt: now)
        enricher?.enrich(&event, memo: &memo)
        if position.map({ event.time > $0 }) ?? true { position = event.time }
        events.append(event)
      } catch {
        malformed += 1
      }
    }
    let batch = IngestBatch(
      key: key, events: events, cursor: cursor, caughtUp: caughtUp, at: now, malformed: malformed)
    return Output(batch: batch, position: position)
  }
}
