import CoreMetrics
import VigilBase

/// The Events API client's numbers for `/metrics`: requests by host and status (`error` when no answer
/// came), and the rate budget the API reports left for each token (`RateLimit-Remaining`).
enum APIMetrics {
  static func answered(_ exchange: HTTPExchange, host: String, token: String?) {
    Counter(
      label: "vigil_events_api_requests_total", dimensions: [("host", host), ("status", String(exchange.status))]
    )
    .increment()
    if let remaining = exchange.headers["ratelimit-remaining"].flatMap({ Double($0) }) {
      Gauge(label: "vigil_events_api_rate_remaining", dimensions: [("host", host), ("token", token ?? "unknown")])
        .record(remaining)
    }
  }

  static func failed(host: String) {
    Counter(label: "vigil_events_api_requests_total", dimensions: [("host", host), ("status", "error")]).increment()
  }
}
