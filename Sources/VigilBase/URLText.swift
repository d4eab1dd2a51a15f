/// URLs as text: shown without their credentials, and redirect targets resolved.
package enum URLText {
  /// `https://user:secret@host/path?key=abc` → `https://host/path?key=…`: URLs are shown, their
  /// credentials never (user info, and query values, where feeds put their API keys).
  package static func withoutCredentials(_ url: String) -> String {
    var shown = url
    if let scheme = url.firstRange(of: "://") {
      let rest = url[scheme.upperBound...]
      let hostEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? rest.endIndex
      if let at = rest[..<hostEnd].lastIndex(of: "@") {
        shown = String(url[..<scheme.upperBound]) + rest[rest.index(after: at)...]
      }
    }
    guard let question = shown.firstIndex(of: "?") else { return shown }
    let fragment = shown[question...].firstIndex(of: "#") ?? shown.endIndex
    let query = shown[shown.index(after: question)..<fragment].split(separator: "&", omittingEmptySubsequences: false)
      .map { pair in pair.contains("=") ? pair.prefix { $0 != "=" } + "=…" : pair }
    return String(shown[...question]) + query.joined(separator: "&") + shown[fragment...]
  }

  /// A `Location` header against the URL that sent it: absolute, scheme-relative (`//host/p`),
  /// absolute-path (`/p`) or relative (`p`, resolved against the sender's directory).
  package static func resolve(_ location: String, against base: String) -> String {
    if location.contains("://") { return location }
    guard let scheme = base.firstRange(of: "://") else { return location }
    if location.hasPrefix("//") { return String(base[..<scheme.lowerBound]) + ":" + location }
    let rest = base[scheme.upperBound...]
    let pathStart = rest.firstIndex(of: "/") ?? rest.endIndex
    let origin = String(base[..<pathStart])
    if location.hasPrefix("/") { return origin + location }
    var path = String(rest[pathStart...].prefix { $0 != "?" && $0 != "#" })
    if let slash = path.lastIndex(of: "/") { path = String(path[...slash]) } else { path = "/" }
    return origin + path + location
  }
}
