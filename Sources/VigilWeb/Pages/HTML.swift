import VigilCharts

/// A small builder for server-rendered HTML. `text` and attribute values are always escaped; `raw`
/// takes markup this module made (charts, other builders).
struct HTML {
  private(set) var markup = ""

  mutating func raw(_ text: String) { markup += text }
  mutating func text(_ text: String, limit: Int = Markup.longestText) { markup += Markup.value(text, limit: limit) }

  /// `<tag attr="value">` with every value escaped.
  mutating func open(_ tag: String, _ attributes: [(String, String)] = []) {
    markup += "<" + tag
    for (name, value) in attributes { markup += " \(name)=\"\(Markup.escape(value))\"" }
    markup += ">"
  }

  mutating func close(_ tag: String) { markup += "</\(tag)>" }

  mutating func element(
    _ tag: String, _ attributes: [(String, String)] = [], text: String, limit: Int = Markup.longestText
  ) {
    open(tag, attributes)
    self.text(text, limit: limit)
    close(tag)
  }

  mutating func link(_ href: String, text: String, attributes: [(String, String)] = []) {
    element("a", [("href", href)] + attributes, text: text)
  }

  /// A hidden CSRF field for a form.
  mutating func csrf(_ token: String?) {
    guard let token else { return }
    open("input", [("type", "hidden"), ("name", "_csrf"), ("value", token)])
  }
}
