import VigilCharts
import VigilDashboards

/// The frame of every page: skip link, navigation, the signed-in user with a sign-out form, then the
/// page's own content. Scripts and styles are files under `/static/` (the CSP allows nothing inline).
struct Layout {
  var dashboards: [(id: String, title: String)]

  func page(title: String, current: String, identity: Identity?, content: String) -> String {
    var html = HTML()
    html.raw("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">")
    html.raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
    html.open("title")
    html.text(title + " · Vigil")
    html.close("title")
    html.raw(StaticAssets.head + "<script src=\"/static/vigil.js\" defer></script>")
    html.raw("</head><body><a class=\"skip\" href=\"#main\">Skip to content</a><header><nav aria-label=\"Main\">")
    html.raw("<a class=\"brand\" href=\"/\">Vigil</a><ul>")
    for dashboard in dashboards {
      item(&html, href: "/d/\(dashboard.id)", text: dashboard.title, current: current == "d/\(dashboard.id)")
    }
    item(&html, href: "/search", text: "Search", current: current == "search")
    item(&html, href: "/alerts", text: "Alerts", current: current == "alerts")
    item(&html, href: "/health", text: "Health", current: current == "health")
    html.raw("</ul></nav>")
    if let identity {
      html.raw("<form class=\"signout\" method=\"post\" action=\"/logout\">")
      html.element("span", text: identity.name, limit: 64)
      html.csrf(identity.csrf)
      html.raw("<button type=\"submit\">Sign out</button></form>")
    }
    html.raw("</header><main id=\"main\">")
    html.raw(content)
    html.raw("</main></body></html>")
    return html.markup
  }

  private func item(_ html: inout HTML, href: String, text: String, current: Bool) {
    html.raw("<li>")
    html.link(href, text: text, attributes: current ? [("aria-current", "page")] : [])
    html.raw("</li>")
  }

  /// The time-range picker: a GET form that keeps the page's other state in hidden fields. Works without
  /// script; the script submits it when the choice changes.
  static func picker(_ window: TimeWindow, action: String, keep: [(String, String)] = []) -> String {
    var html = HTML()
    html.open("form", [("class", "picker"), ("method", "get"), ("action", action)])
    for (name, value) in keep { html.open("input", [("type", "hidden"), ("name", name), ("value", value)]) }
    html.raw("<label for=\"last\">Time range</label><select id=\"last\" name=\"last\" class=\"autosubmit\">")
    var choices = TimeWindow.choices
    if let last = window.last, !choices.contains(last) { choices.append(last) }
    for choice in choices {
      var attributes = [("value", choice)]
      if window.last == choice { attributes.append(("selected", "selected")) }
      html.element("option", attributes, text: "Last " + choice)
    }
    if window.last == nil { html.raw("<option value=\"\" selected>Custom</option>") }
    html.raw("</select>")
    html.raw("<label for=\"from\">From</label>")
    html.open(
      "input",
      [
        ("id", "from"), ("name", "from"), ("value", window.from ?? ""), ("placeholder", "2026-11-01 or now-7d"),
        ("size", "16"),
      ])
    html.raw("<label for=\"to\">To</label>")
    html.open(
      "input", [("id", "to"), ("name", "to"), ("value", window.to ?? ""), ("placeholder", "now"), ("size", "16")])
    html.raw("<button type=\"submit\">Apply</button></form>")
    return html.markup
  }
}
