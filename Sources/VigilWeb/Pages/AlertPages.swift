import Hummingbird
import Logging
import VigilBase
import VigilCharts
import VigilCore
import VigilDashboards
import VigilEventsAPIModel
import VigilQuery

extension WebApp {
  /// The most evidence events an alert page shows.
  static let mostEvidence = 50

  /// `/alerts` (filtered by status, severity and rule), `/alerts/ID` with its evidence events, and the
  /// acknowledge and close forms.
  func addAlerts(to router: Router<WebContext>) {
    router.get("/alerts") { request, context in
      let parameters = Self.parameters(request)
      var query = Self.alertQuery(parameters)
      // The time range picks alerts by their latest evidence (90 days unless the picker says otherwise).
      let window =
        parameters["last"] == nil && parameters["from"] == nil
        ? TimeWindow(last: "90d") : TimeWindow(parameters: parameters)
      let range = window.range(now: now)
      query.since = range.from
      let alerts = try await storeCall { try await store.alerts(query) }.filter { alert in
        range.to.map { alert.last < $0 } ?? true
      }
      var html = HTML()
      html.element("h1", text: "Alerts")
      html.raw(Self.alertFilter(query, window: window))
      html.raw(
        Layout.picker(
          window, action: "/alerts",
          keep: [
            ("status", query.status?.rawValue ?? ""), ("severity", query.minimumSeverity?.rawValue ?? ""),
            ("rule", query.rule ?? ""),
          ]))
      if alerts.isEmpty {
        html.element("p", [("class", "empty")], text: "No alerts match.")
      } else {
        html.raw("<div class=\"scroll\"><table><thead><tr>")
        for column in ["Last seen", "Severity", "Alert", "Group", "Events", "Status"] {
          html.element("th", [("scope", "col")], text: column)
        }
        html.raw("</tr></thead><tbody>")
        for alert in alerts {
          html.raw("<tr>")
          html.element("td", text: Self.time(alert.last))
          html.element("td", [("class", "sev-\(alert.severity.rawValue)")], text: alert.severity.rawValue)
          html.raw("<td>")
          html.link("/alerts/" + URLQuery.escape(alert.id), text: alert.title)
          html.raw("</td>")
          html.element("td", text: alert.group.joined(separator: " · "))
          html.element("td", text: String(alert.count))
          html.element("td", text: alert.status.rawValue)
          html.raw("</tr>")
        }
        html.raw("</tbody></table></div>")
      }
      return page("Alerts", current: "alerts", context: context, content: html.markup)
    }
    router.get("/alerts/:id") { _, context in
      guard let id = context.parameters.get("id"), let alert = try await storeCall({ try await store.alert(id) }) else {
        throw HTTPError(.notFound, message: "There is no such alert.")
      }
      let evidence = try await evidenceEvents(alert)
      return page(
        alert.title, current: "alerts", context: context,
        content: alertDetail(alert, evidence: evidence, csrf: context.identity?.csrf))
    }
    for (action, status) in [("ack", AlertStatus.acknowledged), ("close", .closed), ("reopen", .open)] {
      router.post("/alerts/:id/\(action)") { request, context in
        let fields = try await form(request, context: context)
        guard let id = context.parameters.get("id") else { throw HTTPError(.notFound) }
        let note = fields["note"].flatMap { $0.isEmpty ? nil : String($0.prefix(1000)) }
        let who = context.identity?.name ?? "web"
        guard
          try await storeCall({ try await store.updateStatus(id, to: status, by: who, note: note, at: clock.now) })
            != nil
        else { throw HTTPError(.notFound, message: "There is no such alert.") }
        logger.info(
          "alert status changed",
          metadata: ["alert": .string(id), "status": .string(status.rawValue), "by": .string(who)])
        return WebResponse.redirect(to: "/alerts/" + URLQuery.escape(id))
      }
    }
  }

  static func alertQuery(_ parameters: [String: String]) -> AlertQuery {
    var query = AlertQuery()
    query.status = parameters["status"].flatMap(AlertStatus.init(rawValue:))
    query.minimumSeverity = parameters["severity"].flatMap(Severity.init(rawValue:))
    query.rule = parameters["rule"].flatMap { $0.isEmpty ? nil : String($0.prefix(200)) }
    query.limit = 200
    return query
  }

  static func alertFilter(_ query: AlertQuery, window: TimeWindow) -> String {
    var html = HTML()
    html.raw("<form class=\"picker\" method=\"get\" action=\"/alerts\">")
    for (name, value) in window.parameters {
      html.open("input", [("type", "hidden"), ("name", name), ("value", value)])
    }
    html.raw("<label for=\"status\">Status</label><select id=\"status\" name=\"status\" class=\"autosubmit\">")
    html.element("option", [("value", "")] + (query.status == nil ? [("selected", "selected")] : []), text: "any")
    for status in AlertStatus.allCases {
      html.element(
        "option", [("value", status.rawValue)] + (query.status == status ? [("selected", "selected")] : []),
        text: status.rawValue)
    }
    html.raw(
      "</select><label for=\"severity\">At least</label><select id=\"severity\" name=\"severity\" class=\"autosubmit\">"
    )
    html.element(
      "option", [("value", "")] + (query.minimumSeverity == nil ? [("selected", "selected")] : []), text: "any severity"
    )
    for severity in Severity.allCases {
      html.element(
        "option",
        [("value", severity.rawValue)] + (query.minimumSeverity == severity ? [("selected", "selected")] : []),
        text: severity.rawValue)
    }
    html.raw("</select><label for=\"rule\">Rule</label>")
    html.open("input", [("id", "rule"), ("name", "rule"), ("value", query.rule ?? ""), ("size", "24")])
    html.raw("<button type=\"submit\">Filter</button></form>")
    return html.markup
  }

  /// The alert's evidence events, read from the log by sequence (those retention has removed are gone).
  func evidenceEvents(_ alert: AlertRecord) async throws -> [StoredEvent] {
    var events: [StoredEvent] = []
    for evidence in alert.evidence.prefix(Self.mostEvidence) {
      let found = try await storeCall { try await store.events(after: evidence.sequence - 1, limit: 1) }
      if let event = found.first, event.sequence == evidence.sequence { events.append(event) }
    }
    return events
  }

  func alertDetail(_ alert: AlertRecord, evidence: [StoredEvent], csrf: String?) -> String {
    var html = HTML()
    html.element("h1", text: alert.title)
    html.raw("<dl class=\"facts\">")
    let facts: [(String, String)] =
      [
        ("Severity", alert.severity.rawValue),
        ("Status", alert.status.rawValue + (alert.statusBy.map { " by " + $0 } ?? "")),
        ("Rule", alert.rule),
        ("Group", zip(alert.groupFields, alert.group).map { "\($0) \($1)" }.joined(separator: ", ")),
        ("First event", Self.time(alert.first)), ("Last event", Self.time(alert.last)), ("Events", String(alert.count)),
        ("Raised", alert.createdAt.rfc3339),
      ] + (alert.statusNote.map { [("Note", $0)] } ?? [])
    for (name, value) in facts {
      html.element("dt", text: name)
      html.element("dd", text: value, limit: 1000)
    }
    html.raw("</dl><div class=\"actions\">")
    for (action, label, shown) in [
      ("ack", "Acknowledge", alert.status == .open), ("close", "Close", alert.status != .closed),
      ("reopen", "Reopen", alert.status != .open),
    ] where shown {
      html.open("form", [("method", "post"), ("action", "/alerts/" + URLQuery.escape(alert.id) + "/" + action)])
      html.csrf(csrf)
      html.raw("<label for=\"note-\(action)\">Note</label>")
      html.open("input", [("id", "note-\(action)"), ("name", "note"), ("size", "30"), ("maxlength", "1000")])
      html.element("button", [("type", "submit")], text: label)
      html.close("form")
    }
    html.raw("</div>")
    html.element("h2", text: "Evidence")
    if evidence.isEmpty {
      html.element(
        "p", [("class", "empty")], text: "The evidence events are no longer stored (retention removed them).")
    } else {
      let columns = ["time", "stream", "action", "user", "ip", "country", "app"]
      let view = PanelView(
        panel: Panel(id: "evidence", title: "Evidence", query: "", chart: .table), chart: .categories([]),
        columns: columns,
        rows: evidence.map { stored in
          let event = stored.event
          return [
            event.time.rfc3339, event.stream.rawValue, event.action ?? "", event.user.email ?? "",
            event.sourceIP ?? "", event.geo.countryCode ?? "", event.client.app ?? "",
          ]
        }, rowLinks: Array(repeating: nil, count: evidence.count), searchLink: "", problem: nil)
      html.raw(PanelMarkup.table(view, caption: "Evidence events"))
    }
    let uuids = evidence.prefix(20).map { "uuid:" + $0.event.uuid }.joined(separator: " OR ")
    if !uuids.isEmpty {
      html.raw("<p class=\"more\">")
      html.link(LinkBuilder(window: TimeWindow(last: "90d")).search(uuids), text: "Search the evidence events")
      html.raw("</p>")
    }
    return html.markup
  }

  static func time(_ nanoseconds: Int64) -> String {
    Timestamp(seconds: nanoseconds / 1_000_000_000, nanoseconds: Int32(nanoseconds % 1_000_000_000)).rfc3339
  }

  /// Runs a store call, turning a store failure into a 503 that says what happened.
  func storeCall<T>(_ body: () async throws -> T) async throws -> T {
    do {
      return try await body()
    } catch {
      logger.error("store call failed", metadata: ["error": .string("\(error)")])
      throw HTTPError(.serviceUnavailable, message: "The store did not answer: \(error)")
    }
  }
}
