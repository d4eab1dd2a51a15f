import Metrics
import Prometheus

/// The process's metrics: swift-metrics bootstrapped once with a Prometheus registry, whose text the
/// web app serves at `/metrics`. Counters recorded before the first use go nowhere (swift-metrics' no-op).
package enum RuntimeMetrics {
  package static let registry: PrometheusCollectorRegistry = {
    let registry = PrometheusCollectorRegistry()
    MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
    return registry
  }()
}
