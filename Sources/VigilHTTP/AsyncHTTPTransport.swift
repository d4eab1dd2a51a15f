import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOSSL
import VigilBase

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

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
        throw TransportFailure("refused \(URLText.withoutCredentials(target)): \(refusal)", kind: .refused)
      }
      let exchange = try await once(method: method, url: target, headers: headers, body: body)
      guard case .httpsOnly(let maximum) = settings.redirects, (300..<400).contains(exchange.status),
        exchange.status != 304, let location = exchange.headers["location"]
      else { return exchange }
      hops += 1
      guard hops <= maximum else { throw TransportFailure("more than \(maximum) redirects", kind: .refused) }
      let next = URLText.resolve(location, against: target)
      guard URLPolicy.parts(next)?.scheme == "https" else {
        throw TransportFailure(
          "refused a redirect to \(URLText.withoutCredentials(next)): only https:// is followed", kind: .refused)
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
        throw TransportFailure(
          "the \(name) header holds a control character (a line break in a token file?)", kind: .refused)
      }
      request.headers.add(name: name, value: value)
    }
    if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
    var chosen = client
    if let direct, let host = URLPolicy.parts(url)?.host, settings.bypassesProxy(host) { chosen = direct }
    do {
      // AsyncHTTPClient's deadline ends with the response head; the body gets the rest of the same
      // budget, so a server that drips its body cannot hold a collector for ever.
      let timeout = TimeAmount.milliseconds(Int64(settings.requestTimeout * 1000))
      let deadline = NIODeadline.now() + timeout
      let response = try await chosen.execute(request, deadline: deadline)
      let bytes = try await Self.collect(
        response.body, upTo: settings.maximumBodyBytes, before: deadline, timeout: settings.requestTimeout)
      var headerMap: [String: String] = [:]
      for (name, value) in response.headers { headerMap[name.lowercased()] = value }
      return HTTPExchange(status: Int(response.status.code), headers: headerMap, body: bytes)
    } catch is NIOTooManyBytesError {
      throw TransportFailure("response larger than \(settings.maximumBodyBytes) bytes", kind: .interrupted)
    } catch let error as HTTPClientError {
      throw TransportFailure(Self.describe(error), kind: Self.kind(of: error))
    } catch is CancellationError {
      throw CancellationError()
    } catch let failure as TransportFailure {
      throw failure
    } catch {
      throw TransportFailure(Self.describe(error, headers: headers), kind: Self.kind(of: error))
    }
  }

  /// The body, or a failure once `deadline` passes: the collecting task is cancelled, which makes
  /// AsyncHTTPClient drop the connection.
  private static func collect(
    _ body: HTTPClientResponse.Body, upTo limit: Int, before deadline: NIODeadline, timeout: Double
  ) async throws -> [UInt8] {
    try await withThrowingTaskGroup(of: [UInt8].self) { group in
      group.addTask {
        var collected = try await body.collect(upTo: limit)
        return collected.readBytes(length: collected.readableBytes) ?? []
      }
      group.addTask {
        let remaining = max(0, deadline.uptimeNanoseconds &- NIODeadline.now().uptimeNanoseconds)
        try await Task.sleep(nanoseconds: remaining)
        throw TransportFailure(
          "the response took longer than \(Self.seconds(timeout)) in all (a stalled or dripping server; "
            + "http.request_timeout sets the limit)", kind: .interrupted)
      }
      defer { group.cancelAll() }
      guard let bytes = try await group.next() else { return [] }
      return bytes
    }
  }

  private static func seconds(_ value: Double) -> String {
    value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
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

  /// Whether the server was reached: a connection that broke off mid-exchange is no reason to check
  /// the URL or the proxy.
  static func kind(of error: HTTPClientError) -> TransportFailure.Kind {
    switch error {
    case .readTimeout, .deadlineExceeded, .remoteConnectionClosed, .bodyLengthMismatch: .interrupted
    case .invalidURL, .emptyHost, .emptyScheme: .refused
    default: .unreachable
    }
  }

  /// Other errors: a reset or a malformed HTTP stream means the server was reached; everything else
  /// (refused, DNS, TLS) that it was not.
  static func kind(of error: any Error) -> TransportFailure.Kind {
    if error is HTTPParserError { return .interrupted }
    if let error = error as? IOError, [ECONNRESET, EPIPE, ECONNABORTED].contains(error.errnoCode) {
      return .interrupted
    }
    return .unreachable
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
