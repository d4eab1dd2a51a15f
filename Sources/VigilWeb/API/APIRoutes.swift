import HTTPTypes
import Hummingbird
import NIOCore
import VigilBase
import VigilCharts
import VigilCore
import VigilDashboards
import VigilEventsAPIModel
import VigilFormats
import VigilJSON
import VigilQuery

/// The JSON API under `/api`, described by `docs/openapi.yaml` (served at `/api/openapi.yaml`).
struct APIRoutes {
  let app: WebApp

  /// Listings stream at most this many rows unless `limit` says fewer.
  static let defaultLimit = 10_000
  static let mostRows = 1_000_000

  func add(to router: Router<WebContext>) {
    router.get("/api/openapi.yaml") { _, _ in
      Response(
        status: .ok, headers: [.contentType: "application/yaml"],
        body: ResponseBody(byteBuffer: ByteBuffer(bytes: PackageResources.openapi_yaml)))
    }
    router.get("/api/dashboards") { _, _ in
      var writer = JSONWriter()
      writer.beginArray()
      for dashboard in app.library.dashboards {
        writer.beginObject()
        writer.field("id", dashboard.id)
        writer.field("title", dashboard.title)
        writer.field("description", dashboard.description)
        writer.key("panels")
        writer.beginArray()
        for panel in dashboard.panels {
          writer.beginObject()
          writer.field("id", panel.id)
          writer.field("title", panel.title)
          writer.field("query", panel.query)
          writer.field("chart", panel.chart.rawValue)
          writer.endObject()
        }
        writer.endArray()
        writer.endObject()
      }
      writer.endArray()
      return WebResponse.json(.ok, writer.bytes)
    }
    router.get("/api/dashboards/:id") { request, context in
      guard let id = context.parameters.get("id"), let dashboard = app.library.dashboard(id) else {
        return WebResponse.json(.notFound, ["error": "no such dashboard"])
      }
      let parameters = WebApp.parameters(request)
      if let problem = Self.windowProblem(parameters) { return WebResponse.json(.badRequest, ["error": problem]) }
      let window = TimeWindow(parameters: parameters)
      guard window.resolved(now: app.now) != nil else {
        return WebResponse.json(.badRequest, ["error": "the time range cannot be read; use last=24h or from/to"])
      }
      let views = await app.run(dashboard, window: window)
      var writer = JSONWriter()
      writer.beginObject()
      writer.field("id", dashboard.id)
      writer.field("title", dashboard.title)
      writer.key("panels")
      writer.beginArray()
      for view in views {
        writer.beginObject()
        writer.field("id", view.panel.id)
        writer.field("title", view.panel.title)
        writer.field("query", view.panel.query)
        writer.field("chart", view.panel.chart.rawValue)
        if let problem = view.problem { writer.field("error", problem) }
        writer.key("columns")
        writer.beginArray()
        for column in view.columns { writer.string(column) }
        writer.endArray()
        writer.key("rows")
        writer.beginArray()
        for row in view.rows {
          writer.beginArray()
          for cell in row { writer.string(cell) }
          writer.endArray()
        }
        writer.endArray()
        writer.endObject()
      }
      writer.endArray()
      writer.endObject()
      return WebResponse.json(.ok, writer.bytes)
    }
    router.get("/api/search") { request, _ in try await search(request) }
    router.get("/api/alerts") { request, _ in
      let parameters = WebApp.parameters(request)
      if let problem = Self.alertParameterProblem(parameters) {
        return WebResponse.json(.badRequest, ["error": problem])
      }
      var query = WebApp.alertQuery(parameters)
      query.limit = parameters["limit"].flatMap { Int($0) } ?? Self.defaultAlerts
      let alerts = try await app.storeCall { try await app.store.alerts(query) }
      var writer = JSONWriter()
      writer.beginArray()
      for alert in alerts { alert.write(into: &writer) }
      writer.endArray()
      return WebResponse.json(.ok, writer.bytes)
    }
    router.get("/api/alerts/:id") { _, context in
      guard let id = context.parameters.get("id"),
        let alert = try await app.storeCall({ try await app.store.alert(id) })
      else {
        return WebResponse.json(.notFound, ["error": "no such alert"])
      }
      var writer = JSONWriter()
      alert.write(into: &writer)
      return WebResponse.json(.ok, writer.bytes)
    }
    for (action, status) in [("ack", AlertStatus.acknowledged), ("close", .closed), ("reopen", .open)] {
      router.post("/api/alerts/:id/\(action)") { request, context in
        var request = request
        let body = try await request.collectBody(upTo: context.maxUploadSize)
        var note: String?
        if body.readableBytes > 0 {
          guard let document = try? JSONDocument(bytes: Array(buffer: body)), document.root.kind == .object else {
            return WebResponse.json(.badRequest, ["error": "the body must be a JSON object such as {\"note\": \"…\"}"])
          }
          if let value = document.root["note"] {
            guard let text = value.string, text.count <= 1000 else {
              return WebResponse.json(.badRequest, ["error": "note must be a string of at most 1,000 characters"])
            }
            note = text
          }
        }
        guard let id = context.parameters.get("id") else {
          return WebResponse.json(.notFound, ["error": "no such alert"])
        }
        let who = context.identity?.name ?? "api"
        guard
          let alert = try await app.storeCall({
            try await app.store.updateStatus(id, to: status, by: who, note: note, at: app.clock.now)
          })
        else { return WebResponse.json(.notFound, ["error": "no such alert"]) }
        var writer = JSONWriter()
        alert.write(into: &writer)
        return WebResponse.json(.ok, writer.bytes)
      }
    }
    router.get("/api/health") { _, _ in
      let report = try await app.healthReport()
      var writer = JSONWriter()
      writer.beginObject()
      writer.key("streams")
      writer.beginArray()
      for state in report.streams {
        writer.beginObject()
        writer.field("account", state.key.account)
        writer.field("stream", state.key.stream.rawValue)
        writer.key("events_stored")
        writer.int(Int(state.eventsStored))
        writer.optional("newest_event", state.newestEventTime?.rfc3339)
        writer.optional("last_success", state.lastSuccessAt?.rfc3339)
        writer.optional("caught_up_at", state.caughtUpAt?.rfc3339)
        writer.optional("last_error", state.lastError)
        writer.key("failing")
        writer.bool(state.isFailing)
        writer.endObject()
      }
      writer.endArray()
      writer.key("rate_budgets")
      writer.beginArray()
      for rate in report.rates { rate.write(into: &writer) }
      writer.endArray()
      writer.key("leases")
      writer.beginArray()
      for lease in report.leases { lease.write(into: &writer) }
      writer.endArray()
      writer.key("tokens")
      writer.beginArray()
      for token in app.tokens {
        writer.beginObject()
        writer.field("account", token.account)
        writer.field("host", token.host)
        writer.key("features")
        writer.beginArray()
        for feature in token.features { writer.string(feature) }
        writer.endArray()
        writer.optional("expires_at", token.expiresAt?.rfc3339)
        writer.optional("problem", token.problem)
        writer.endObject()
      }
      writer.endArray()
      writer.key("sources")
      writer.beginArray()
      for source in report.sources {
        writer.beginObject()
        writer.field("name", source.name)
        writer.field("kind", source.kind)
        writer.key("entries")
        writer.int(source.entries)
        writer.optional("loaded_at", source.loadedAt?.rfc3339)
        writer.optional("last_error", source.error)
        writer.endObject()
      }
      writer.endArray()
      writer.key("detection")
      writer.beginObject()
      writer.key("newest_sequence")
      writer.int(Int(report.newestSequence))
      if let checkpoint = report.detectionCheckpoint {
        writer.key("checkpoint")
        writer.int(Int(checkpoint))
      }
      writer.key("alerts")
      writer.beginObject()
      for (status, count) in report.alerts {
        writer.key(status.rawValue)
        writer.int(count)
      }
      writer.endObject()
      writer.endObject()
      writer.key("sinks")
      writer.beginArray()
      for sink in report.sinks { sink.write(into: &writer) }
      writer.endArray()
      writer.endObject()
      return WebResponse.json(.ok, writer.bytes)
    }
  }

  /// What is wrong with an alert listing's parameters (the page ignores unknown values; the API says so).
  static func alertParameterProblem(_ parameters: [String: String]) -> String? {
    if let status = parameters["status"], AlertStatus(rawValue: status) == nil {
      return "status must be one of \(AlertStatus.allCases.map(\.rawValue).joined(separator: ", "))"
    }
    if let severity = parameters["severity"], Severity(rawValue: severity) == nil {
      return "severity must be one of \(Severity.allCases.map(\.rawValue).joined(separator: ", "))"
    }
    if let rule = parameters["rule"], rule.count > 200 { return "rule is at most 200 characters" }
    if let limit = parameters["limit"], Int(limit).map({ (1...Self.mostAlerts).contains($0) }) != true {
      return "limit must be a whole number from 1 to \(Self.mostAlerts)"
    }
    return nil
  }

  /// Alerts a listing returns unless `limit` says otherwise, and the most it may ask for.
  static let defaultAlerts = 100
  static let mostAlerts = 1000

  /// What is wrong with a time range's parameters, beyond being unreadable.
  static func windowProblem(_ parameters: [String: String]) -> String? {
    if let last = parameters["last"], last.count > 16 { return "last is at most 16 characters (24h, 7d)" }
    for name in ["from", "to"] {
      guard let value = parameters[name] else { continue }
      if value.isEmpty { return "\(name) is empty; leave it out or give a time" }
      if value.count > 64 { return "\(name) is at most 64 characters" }
    }
    return nil
  }

}

extension JSONWriter {
  mutating func field(_ name: String, _ value: String) {
    key(name)
    string(value)
  }

  mutating func optional(_ name: String, _ value: String?) {
    guard let value else { return }
    field(name, value)
  }
}
