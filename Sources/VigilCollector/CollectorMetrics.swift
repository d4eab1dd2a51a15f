import CoreMetrics
import VigilBase
import VigilCore
import VigilEventsAPIModel

/// The collector's numbers for `/metrics`, per account × stream: events stored and duplicates skipped,
/// and the lag (how far the newest stored event is behind the clock).
enum CollectorMetrics {
  static func committed(_ report: PageReport, now: Timestamp) {
    let dimensions = [("account", report.key.account), ("stream", report.key.stream.rawValue)]
    Counter(label: "vigil_events_ingested_total", dimensions: dimensions).increment(by: report.inserted)
    Counter(label: "vigil_events_duplicate_total", dimensions: dimensions).increment(by: report.duplicates)
    if let position = report.position {
      Gauge(label: "vigil_stream_lag_seconds", dimensions: dimensions).record(
        max(0, now.epochSeconds - position.epochSeconds))
    }
  }
}
