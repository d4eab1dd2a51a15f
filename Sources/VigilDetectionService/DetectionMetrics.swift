import CoreMetrics
import VigilCore
import VigilDetection
import VigilEventsAPIModel

/// Detection's counters for `/metrics`: events judged, rule evaluations (each event a rule's streams
/// cover) and alerts raised, by rule.
enum DetectionMetrics {
  static func judged(_ batch: [StoredEvent], rules: [Rule]) {
    guard !batch.isEmpty else { return }
    Counter(label: "vigil_detection_events_total").increment(by: batch.count)
    var perStream: [EventStream: Int] = [:]
    for stored in batch { perStream[stored.event.stream, default: 0] += 1 }
    for rule in rules {
      let evaluations = rule.streams.reduce(0) { $0 + (perStream[$1] ?? 0) }
      if evaluations > 0 {
        Counter(label: "vigil_rule_evaluations_total", dimensions: [("rule", rule.id)]).increment(by: evaluations)
      }
    }
  }

  static func raised(_ alert: AlertRecord) {
    Counter(
      label: "vigil_alerts_total", dimensions: [("rule", alert.rule), ("severity", alert.severity.rawValue)]
    ).increment()
  }
}
