import CoreMetrics

/// Sinks' counters for `/metrics`: events by sink and outcome, failed deliveries, and batches split
/// to isolate a record refused with its whole request.
enum SinkMetrics {
  static func events(_ sink: String, _ outcome: String, _ count: Int) {
    guard count > 0 else { return }
    Counter(label: "vigil_sink_events_total", dimensions: [("sink", sink), ("outcome", outcome)]).increment(by: count)
  }

  static func failedDelivery(_ sink: String) {
    Counter(label: "vigil_sink_failed_deliveries_total", dimensions: [("sink", sink)]).increment()
  }

  static func split(_ sink: String) {
    Counter(label: "vigil_sink_split_batches_total", dimensions: [("sink", sink)]).increment()
  }
}
