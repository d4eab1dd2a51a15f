import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOSSL
import VigilBase

/// ``HTTPTransport`` over AsyncHTTPClient, the one way out for every outbound call: TLS verified by
/// default (with optional extra trust roots), optional HTTP(S) proxy, timeouts, bounded bodies,
/// plain http only to loopback, and redirects as ``HTTPSettings/Redirects`` says (AsyncHTTPClient's
/// own redirect following is off: it would follow https to http).
///
/// Errors never include header values: a token in a malformed header must not reach a log.
package final class AsyncHTTPTransport: HTTPTransport {
  private let client: HTTPClient
  /// Without the proxy, for loopback and `NO_PROXY` hosts (nil when no proxy is set).
  private let direct: HTTPClient?
  private let settings: HTTPSettings

  package init(settings: HTTPSettings = HTTPSettings()) throws(HTTPSetupError) {
    var configuration = HTTPClient.Configuration()
    configuration.redirectConfiguration = .disallow
    configuration.timeout = .init(
      connect: .milliseconds(Int64(settings.connectTimeout * 1000)),
      read: .milliseconds(Int64(settings.requestTimeout * 1000)))
    var tls = TLSConfiguration.makeClientConfiguration()
    tls.minimumTLSVersion = .tlsv12
    if !settings.verifyTLS { tls.certificateVerification = .none }
    if let caFile = settings.caFile {
      do {
        let certificates = try NIOSSLCertificate.fromPEMFile(caFile)
        tls.additionalTrustRoots = [.certificates(certificates)]
      } catch {
        throw .unreadableCertificates(caFile)
      }
    }
    configuration.tlsConfiguration = tls
    if let proxy = settings.proxy, !proxy.isEmpty {
      let parsed = try Self.parseProxy(proxy)
      direct = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
      configuration.proxy = parsed
    } else {
      direct = nil
    }
    client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    self.settings = settings
  }

  package func send(method: String, url: String, headers: [(String, String)], body: [UInt8]?) async throws
    -> HTTPExchange
  {
    var target = url
    var headers = headers
    var hops = 0
    while true {
      if let refusal = URLPolicy.refusal(target, allowInsecureHTTP: settings.allowInsecureHTTP) {
        throw TransportFailure("refused \(URLText.withoutCredentials(target)): \(refusal)")
      }
      let exchange = try await once(method: method, url: target, headers: headers, body: body)
      guard case .httpsOnly(let maximum) = settings.redirects, (300..<400).contains(exchange.status),
        exchange.status != 304, let location = exchange.headers["location"]
      else { return exchange }
      hops += 1
      guard hops <= maximum else { throw TransportFailure("more than \(maximum) redirects") }
      let next = URLText.resolve(location, against: target)
      guard URLPolicy.parts(next)?.scheme == "https" else {
        throw TransportFailure("refused a redirect to \(URLText.withoutCredentials(next)): only https:// is followed")
      }
      if URLPolicy.parts(next)?.host != URLPolicy.parts(target)?.host {
        headers.removeAll { ["authorization", "cookie"].contains($0.0.lowercased()) }
      }
      target = next
    }
  }

  private func once(method: String, url: String, headers: [(String, String)], body: [UInt8]?) async throws
    -> HTTPExchange
  {
    var request = HTTPClientRequest(url: url)
    request.method = HTTPMethod(rawValue: method)
    for (name, value) in headers {
      // A control character in a header value (a wrapped token) would make the client fail with an
      // error that prints the whole header. Refuse it here, naming only the header.
      guard !value.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) else {
        throw TransportFailure("the \(name) header holds a control character (a line break in a token file?)")
      }
      request.headers.add(name: name, value: value)
    }
    if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
    var chosen = client
    if let direct, let host = URLPolicy.parts(url)?.host, settings.bypassesProxy(host) { chosen = direct }
    do {
      let response = try await chosen.execute(request, timeout: .milliseconds(Int64(settings.requestTimeout * 1000)))
      var collected = try await response.body.collect(upTo: settings.maximumBodyBytes)
      let bytes = collected.readBytes(length: collected.readableBytes) ?? []
      var headerMap: [String: String] = [:]
      for (name, value) in response.headers { headerMap[name.lowercased()] = value }
      return HTTPExchange(status: Int(response.status.code), headers: headerMap, body: bytes)
    } catch is NIOTooManyBytesError {
      throw TransportFailure("response larger than \(settings.maximumBodyBytes) bytes")
    } catch let error as HTTPClientError {
      throw TransportFailure(Self.describe(error))
    } catch is CancellationError {
      throw CancellationError()
    } catch {
      throw TransportFailure(Self.describe(error, headers: headers))
    }
  }

  package func shutdown() async throws {
    try await direct?.shutdown()
    try await client.shutdown()
  }

  /// A short description that never repeats a request's headers.
  static func describe(_ error: HTTPClientError) -> String {
    switch error {
    case .connectTimeout: "connection timed out"
    case .readTimeout, .deadlineExceeded: "request timed out"
    case .remoteConnectionClosed: "connection closed by the server before the response was complete"
    case .cancelled: "request cancelled"
    case .invalidURL, .emptyHost, .emptyScheme: "the URL is not valid"
    case .bodyLengthMismatch: "the response body was cut short"
    case .tlsHandshakeTimeout: "TLS handshake timed out"
    case .proxyAuthenticationRequired: "the proxy requires authentication"
    case .invalidProxyResponse: "the proxy refused the connection"
    default: "HTTP client error (\(Self.kind(of: error)))"
    }
  }

  /// Other errors (connection refused, TLS, DNS): their own short text, unless it repeats any header
  /// value of the request, in which case only the error's type is told.
  static func describe(_ error: any Error, headers: [(String, String)]) -> String {
    let text = String(describing: error)
    let secrets = headers.map(\.1).filter { $0.count >= 8 }
    if text.count > 500 || secrets.contains(where: { text.contains($0) }) {
      return "connection failed (\(Self.kind(of: error)))"
    }
    if error is NIOSSLError { return "TLS failed: \(text)" }
    return "connection failed: \(text)"
  }

  private static func kind(of error: any Error) -> String {
    String(describing: type(of: error))
  }

  static func parseProxy(_ text: String) throws(HTTPSetupError) -> HTTPClient.Configuration.Proxy {
    var rest = Substring(text)
    if let scheme = rest.firstRange(of: "://") {
      // AsyncHTTPClient speaks plain HTTP to the proxy (CONNECT, then TLS end to end to the server):
      // an https:// proxy would silently be used as http://, so it is refused.
      switch rest[..<scheme.lowerBound].lowercased() {
      case "http": break
      case "https": throw .httpsProxy
      default: throw .proxy
      }
      rest = rest[scheme.upperBound...]
    }
    if let slash = rest.firstIndex(of: "/") { rest = rest[..<slash] }
    var authorization: HTTPClient.Authorization?
    if let at = rest.lastIndex(of: "@") {
      let credentials = rest[..<at].split(separator: ":", maxSplits: 1).map(String.init)
      authorization = .basic(username: credentials.first ?? "", password: credentials.count > 1 ? credentials[1] : "")
      rest = rest[rest.index(after: at)...]
    }
    let parts = rest.split(separator: ":")
    guard let host = parts.first, !host.isEmpty else { throw .proxy }
    let port = parts.count > 1 ? Int(parts[1]) : 8080
    guard let port, (1...65535).contains(port) else { throw .proxy }
    return .server(host: String(host), port: port, authorization: authorization)
  }
}

/// The transport cannot be set up as configured.
package enum HTTPSetupError: Error, Equatable, Sendable, CustomStringConvertible {
  case proxy
  case httpsProxy
  case unreadableCertificates(String)

  package var description: String {
    switch self {
    case .proxy: "the proxy setting is not of the form http://[user:password@]host:port"
    case .httpsProxy:
      "an https:// proxy is not supported (TLS to the proxy itself); use its http:// address: requests to "
        + "https sites still go through it encrypted end to end (CONNECT)"
    case .unreadableCertificates(let path):
      "cannot read PEM certificates from \(path) (http.ca_file); check the path and that it holds PEM blocks"
    }
  }
}
