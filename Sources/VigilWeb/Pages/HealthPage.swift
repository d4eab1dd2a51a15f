import Hummingbird
import VigilBase
import VigilCharts
import VigilCore
import VigilDashboards
import VigilEventsAPIModel

/// Everything the health page and `GET /api/health` show, read from the store.
struct HealthReport: Sendable {
  var streams: [StreamState]
  var rates: [RateStatus]
  var sources: [SourceStatus]
  var newestSequence: Int64
  var detectionCheckpoint: Int64?
  var alerts: [(AlertStatus, Int)]
  var notifiers: [NotifierSummary]
  var sinks: [SinkBacklog]
  /// Who holds which unit of work, when processes share a PostgreSQL store (empty otherwise).
  var leases: [Lease]
}

extension WebApp {
  /// The consumer name detection saves its state under (`DetectionService.consumer`).
  static let detectionConsumer = "detection"

  func healthReport() async throws -> HealthReport {
    try await storeCall {
      var alerts: [(AlertStatus, Int)] = []
      for status in AlertStatus.allCases {
        var query = AlertQuery()
        query.status = status
        alerts.append((status, try await store.alertCount(query)))
      }
      return HealthReport(
        streams: try await store.streamStates(), rates: try await store.rateStatuses(),
        sources: try await store.sourceStatuses(),
        newestSequence: try await store.newestSequence(),
        detectionCheckpoint: try await store.detectionState(Self.detectionConsumer)?.sequence, alerts: alerts,
        notifiers: try await store.notificationSummary(),
        sinks: try await SinkBacklog.read(sinks, store: store), leases: try await store.leases())
    }
  }

  /// `/health`: each account × stream's lag and errors, each account's request budget and token, the
  /// enrichment sources, detection, notifiers and sinks.
  func addHealth(to router: Router<WebContext>) {
    router.get("/health") { _, context in
      let report = try await healthReport()
      let now = clock.now
      var html = HTML()
      html.element("h1", text: "Health")
      html.element("h2", text: "Collection")
      let streamRows = report.streams.map { state -> [String] in
        [
          state.key.account, state.key.stream.rawValue, String(state.eventsStored),
          state.newestEventTime?.rfc3339 ?? "never", state.newestEventTime.map { Self.age(now, $0) } ?? "–",
          state.lastSuccessAt.map { Self.age(now, $0) + " ago" } ?? "never",
          state.isFailing ? "failing" : (state.caughtUpAt == nil ? "catching up" : "caught up"),
          state.lastError ?? "",
        ]
      }
      html.raw(
        Self.table(
          ["Account", "Stream", "Events stored", "Newest event", "Lag", "Last success", "State", "Last error"],
          streamRows, empty: "Nothing collected yet."))
      html.element("h2", text: "Request budget")
      html.raw(
        Self.table(
          ["Account", "Last minute", "Last hour", "Hour used", "API says left", "Held until", "Recorded"],
          report.rates.map { rate in
            [
              rate.account, "\(rate.usedLastMinute) of \(rate.limitPerMinute)",
              "\(rate.usedLastHour) of \(rate.limitPerHour)", "\(rate.hourPercent)%",
              rate.serverRemaining.map(String.init) ?? "not reported",
              rate.heldUntil.map { $0 > now ? $0.rfc3339 : "–" } ?? "–", Self.age(now, rate.recordedAt) + " ago",
            ]
          }, empty: "No requests recorded yet: the collector records each account's budget as it reads."))
      html.element("h2", text: "Tokens")
      html.raw(
        Self.table(
          ["Account", "API", "Streams granted", "Expiry", "Problem"],
          tokens.map { token in
            [
              token.account, token.host, token.features.joined(separator: ", "), token.expiry(now: now),
              token.problem ?? "",
            ]
          }, empty: "No accounts are configured."))
      html.element("h2", text: "Enrichment sources")
      html.raw(
        Self.table(
          ["Source", "Kind", "Entries", "Skipped", "Loaded", "Last error"],
          report.sources.map {
            [
              $0.name, $0.kind, String($0.entries), String($0.skipped), $0.loadedAt?.rfc3339 ?? "never",
              $0.error ?? "",
            ]
          }, empty: "No enrichment sources are configured."))
      html.element("h2", text: "Detection")
      if let checkpoint = report.detectionCheckpoint {
        let behind = max(0, report.newestSequence - checkpoint)
        html.element(
          "p",
          text: "Judged the log to event \(checkpoint) of \(report.newestSequence)"
            + (behind == 0 ? " (up to date)." : " (\(behind) behind, as of its last saved state)."))
      } else {
        html.element("p", text: "Detection has not saved its state yet.")
      }
      html.raw(Self.table(["Alerts", "Count"], report.alerts.map { [$0.0.rawValue, String($0.1)] }, empty: ""))
      html.element("h2", text: "Notifiers")
      html.raw(
        Self.table(
          ["Notifier", "Pending", "Delivered", "Failed", "Last delivered", "Last error"],
          report.notifiers.map {
            [
              $0.notifier, String($0.pending), String($0.delivered), String($0.failed),
              $0.lastDeliveredAt?.rfc3339 ?? "never", $0.lastError ?? "",
            ]
          }, empty: "No notifications yet."))
      html.element("h2", text: "Sinks")
      html.raw(
        Self.table(
          [
            "Sink", "State", "Backlog", "Oldest waiting", "Delivered", "Skipped", "Quarantined", "Last delivery",
            "Last error",
          ],
          report.sinks.map { sink in
            [
              sink.name, sink.state, String(sink.events), sink.oldestWaiting.map { Self.age(now, $0) } ?? "–",
              String(sink.status?.delivered ?? 0), String(sink.status?.skipped ?? 0), String(sink.quarantined),
              sink.status?.lastDeliveryAt.map { Self.age(now, $0) + " ago" } ?? "never", sink.status?.lastError ?? "",
            ]
          },
          empty: "No sinks are configured: `sinks:` in vigil.yaml forwards events to SIEMs (docs/sinks.md)."))
      if report.sinks.contains(where: { $0.quarantined > 0 }) {
        html.element(
          "p",
          text: "Quarantined events were refused for good by their receiver; `vigil sinks status` shows why, and "
            + "`vigil sinks retry NAME` sends them again once fixed.")
      }
      if !report.leases.isEmpty {
        html.element("h2", text: "Workers")
        html.raw(
          Self.table(
            ["Unit", "Held by", "Since", "Lease ends"],
            report.leases.map { lease in
              [
                lease.unit, lease.isLive ? lease.holder : "nobody (last: \(lease.holder))",
                Self.age(now, lease.acquiredAt) + " ago",
                lease.isLive ? lease.expiresAt.rfc3339 : "ended " + Self.age(now, lease.expiresAt) + " ago",
              ]
            }, empty: ""))
      }
      return page("Health", current: "health", context: context, content: html.markup)
    }
  }

  static func table(_ columns: [String], _ rows: [[String]], empty: String) -> String {
    let view = PanelView(
      panel: Panel(id: "t", title: "", query: "", chart: .table), chart: .categories([]), columns: columns, rows: rows,
      rowLinks: Array(repeating: nil, count: rows.count), searchLink: "", problem: nil)
    if rows.isEmpty {
      var html = HTML()
      if !empty.isEmpty { html.element("p", [("class", "empty")], text: empty) }
      return html.markup
    }
    return PanelMarkup.table(view, caption: nil)
  }

  static func age(_ now: Timestamp, _ then: Timestamp) -> String {
    let seconds = max(0, Int(now.epochSeconds - then.epochSeconds))
    if seconds < 120 { return "\(seconds)s" }
    if seconds < 7_200 { return "\(seconds / 60)m" }
    if seconds < 172_800 { return "\(seconds / 3_600)h" }
    return "\(seconds / 86_400)d"
  }
}
