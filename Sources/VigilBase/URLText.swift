/// URLs as text: shown without their credentials, and redirect targets resolved.
package enum URLText {
  /// `https://user:secret@host/path` → `https://host/path`: URLs are shown, their credentials never.
  package static func withoutCredentials(_ url: String) -> String {
    guard let scheme = url.firstRange(of: "://") else { return url }
    let rest = url[scheme.upperBound...]
    let hostEnd = rest.firstIndex(of: "/") ?? rest.endIndex
    guard let at = rest[..<hostEnd].lastIndex(of: "@") else { return url }
    return String(url[..<scheme.upperBound]) + rest[rest.index(after: at)...]
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
