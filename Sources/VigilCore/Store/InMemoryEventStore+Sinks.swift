import VigilBase

extension InMemoryEventStore {
  package func quarantine(_ entries: [QuarantineEntry]) {
    for entry in entries { quarantineEntries[entry.sink, default: [:]][entry.sequence] = entry }
  }

  package func quarantined(sink: String, limit: Int) -> [QuarantineEntry] {
    Array((quarantineEntries[sink] ?? [:]).values.sorted { $0.sequence < $1.sequence }.prefix(max(0, limit)))
  }

  package func quarantineCounts() -> [String: Int] {
    quarantineEntries.filter { !$0.value.isEmpty }.mapValues(\.count)
  }

  package func requestRetry(sink: String) -> Int {
    guard var entries = quarantineEntries[sink] else { return 0 }
    for key in entries.keys { entries[key]?.retry = true }
    quarantineEntries[sink] = entries
    return entries.count
  }

  package func retries(sink: String, limit: Int) -> [(entry: QuarantineEntry, event: StoredEvent?)] {
    let marked = (quarantineEntries[sink] ?? [:]).values.filter(\.retry).sorted { $0.sequence < $1.sequence }
    return marked.prefix(max(0, limit)).map { entry in
      (entry, events(after: entry.sequence - 1, limit: 1).first { $0.sequence == entry.sequence })
    }
  }

  package func release(sink: String, sequences: [Int64]) {
    for sequence in sequences { quarantineEntries[sink]?[sequence] = nil }
  }

  package func recordSink(_ status: SinkStatus) { sinkStates[status.name] = status }

  package func sinkStatuses() -> [SinkStatus] { sinkStates.values.sorted { $0.name < $1.name } }
}
