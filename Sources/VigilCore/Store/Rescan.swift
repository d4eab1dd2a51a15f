import VigilBase

/// `vigil intel rescan`, written once above the stores: each stored event from a time on is
/// normalized again from its raw JSON and enriched with the current sources; the events whose
/// enrichment changed are updated (and the store keeps its rollups exact).
package enum Rescan {
  /// Events per round: each round is one transaction, so collection can commit between them.
  package static let batchSize = 2000

  package static func run(
    on store: some MaintenanceStore, since: Timestamp, with enricher: any EventEnricher, batchSize: Int = batchSize,
    progress: @Sendable (Int) -> Void = { _ in }
  ) async throws(StoreError) -> RescanReport {
    var report = RescanReport()
    var after: Int64 = 0
    while true {
      let stored = try await store.scan(since: since, after: after, limit: batchSize)
      var changes: [EnrichmentChange] = []
      var memo = EnrichmentMemo()
      for entry in stored {
        report.scanned += 1
        let old = entry.event
        guard
          var fresh = Normalizer.normalize(
            raw: old.raw, account: old.account, stream: old.stream, ingestedAt: old.ingestedAt)
        else { continue }
        enricher.enrich(&fresh, memo: &memo)
        guard differs(old, fresh) else { continue }
        report.changed += 1
        if old.enrichment.threat == nil, fresh.enrichment.threat != nil { report.newThreatMatches += 1 }
        changes.append(EnrichmentChange(sequence: entry.sequence, old: old, new: fresh))
      }
      if !changes.isEmpty { try await store.updateEnrichment(changes) }
      progress(report.scanned)
      guard let last = stored.last, stored.count == batchSize else { break }
      after = last.sequence
    }
    return report
  }

  /// Whether any field a rescan may change differs between the stored event and the fresh one.
  package static func differs(_ old: CanonicalEvent, _ new: CanonicalEvent) -> Bool {
    FieldCatalog.restoredFields.contains { $0.value(old) != $0.value(new) }
  }
}
