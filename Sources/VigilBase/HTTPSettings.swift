/// How Vigil talks HTTP to the outside: one set of settings for every outbound call (the Events API,
/// feed downloads, and the notifiers and sinks), applied by the one transport.
package struct HTTPSettings: Hashable, Sendable {
  /// Which redirects are followed.
  package enum Redirects: Hashable, Sendable {
    /// None: a redirect is returned as the response it is (the Events API never redirects, and
    /// following one could carry the token elsewhere).
    case none
    /// Up to `maximum` hops, each to an `https://` URL; credentials are dropped when the host changes.
    case httpsOnly(maximum: Int)
  }

  /// Verify the server's certificate chain and name (only `--insecure` turns this off).
  package var verifyTLS = true
  /// A PEM file of extra trusted certificates (a TLS-inspecting proxy's CA).
  package var caFile: String?
  /// `http://[user:password@]host:port` of an HTTP proxy (CONNECT is used for https URLs).
  package var proxy: String?
  /// Hosts reached directly, never through the proxy (`NO_PROXY`): exact names, domain suffixes
  /// (`.corp.example` or `corp.example`), or `*`. Loopback is always direct.
  package var noProxy: [String] = []
  package var connectTimeout: Double = 5
  package var requestTimeout: Double = 60
  /// Larger bodies are refused: a full page of 1000 events is about 1 MB, and parsing costs about ten
  /// times the body in memory.
  package var maximumBodyBytes = 16 << 20
  package var redirects = Redirects.none
  /// Plain `http://` is refused unless the host is loopback (the emulator, a local proxy) or this is set:
  /// a token or an API key must never cross a network in clear.
  package var allowInsecureHTTP = false

  package init() {}

  /// The proxy to use: the configured one, else `HTTPS_PROXY` (or `https_proxy`) from `environment`;
  /// `NO_PROXY` (or `no_proxy`) adds hosts to reach directly.
  package func withProxy(from environment: [String: String]) -> HTTPSettings {
    var settings = self
    if settings.proxy == nil || settings.proxy?.isEmpty == true {
      settings.proxy = environment["HTTPS_PROXY"] ?? environment["https_proxy"]
    }
    let exceptions = environment["NO_PROXY"] ?? environment["no_proxy"] ?? ""
    settings.noProxy += exceptions.split(separator: ",").map { $0.trimmingWhitespace.lowercased() }.filter {
      !$0.isEmpty
    }
    return settings
  }

  /// Whether a request to `host` skips the proxy: loopback always, and every `noProxy` match.
  package func bypassesProxy(_ host: String) -> Bool {
    if URLPolicy.isLoopback(host: host) { return true }
    return noProxy.contains { entry in
      if entry == "*" { return true }
      let domain = entry.hasPrefix(".") ? String(entry.dropFirst()) : entry
      return host == domain || host.hasSuffix("." + domain)
    }
  }
}

/// Where a URL may be sent under ``HTTPSettings``: https anywhere, http only to loopback unless allowed.
package enum URLPolicy {
  /// The scheme and host of an absolute URL, lower-cased; nil when it is not one.
  package static func parts(_ url: String) -> (scheme: String, host: String)? {
    guard let separator = url.firstRange(of: "://") else { return nil }
    let scheme = url[..<separator.lowerBound].lowercased()
    var rest = url[separator.upperBound...]
    if let end = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { rest = rest[..<end] }
    if let at = rest.lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
    var host: Substring
    if rest.hasPrefix("[") {
      host = rest.dropFirst().prefix { $0 != "]" }
    } else {
      host = rest.prefix { $0 != ":" }
    }
    if host.hasSuffix(".") { host = host.dropLast() }
    guard !host.isEmpty else { return nil }
    return (scheme, host.lowercased())
  }

  package static func isLoopback(host: String) -> Bool {
    if host == "localhost" || host.hasSuffix(".localhost") || host == "::1" { return true }
    // 127.0.0.0/8 as a dotted literal only: `127.0.0.1.evil.example` is a public name.
    let octets = host.split(separator: ".", omittingEmptySubsequences: false)
    return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
  }

  /// Nil when `url` may be requested; otherwise why not, in words that say what to do.
  package static func refusal(_ url: String, allowInsecureHTTP: Bool) -> String? {
    guard let (scheme, host) = parts(url) else { return "not an absolute http(s) URL" }
    switch scheme {
    case "https": return nil
    case "http":
      if allowInsecureHTTP || isLoopback(host: host) { return nil }
      return "plain http:// to \(host) would send credentials in clear; use https:// (plain http is for loopback only)"
    default: return "unsupported scheme \(scheme)://; use https://"
    }
  }
}
