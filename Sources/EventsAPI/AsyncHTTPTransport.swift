import AsyncHTTPClient
import NIOCore
import NIOHTTP1
import NIOSSL

/// ``HTTPTransport`` over AsyncHTTPClient: TLS verified by default, optional HTTP(S) proxy, timeouts,
/// bounded bodies, no redirects (an Events API never redirects; following one could leak the token).
package final class AsyncHTTPTransport: HTTPTransport {
  package struct Options: Sendable {
    package var verifyTLS = true
    /// `http://[user:password@]host:port` of an HTTP proxy (CONNECT is used for https URLs).
    package var proxy: String?
    package var connectTimeout: Double = 5
    package var requestTimeout: Double = 60
    /// Larger bodies are refused (a full page of 1000 events is about 1 MB).
    package var maximumBodyBytes = 64 << 20

    package init() {}
  }

  private let client: HTTPClient
  private let options: Options

  package init(options: Options = Options()) throws(ProxyError) {
    var configuration = HTTPClient.Configuration()
    configuration.redirectConfiguration = .disallow
    configuration.timeout = .init(
      connect: .milliseconds(Int64(options.connectTimeout * 1000)),
      read: .milliseconds(Int64(options.requestTimeout * 1000)))
    var tls = TLSConfiguration.makeClientConfiguration()
    if !options.verifyTLS { tls.certificateVerification = .none }
    configuration.tlsConfiguration = tls
    if let proxy = options.proxy, !proxy.isEmpty {
      configuration.proxy = try Self.parseProxy(proxy)
    }
    client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    self.options = options
  }

  package func send(method: String, url: String, headers: [(String, String)], body: [UInt8]?) async throws
    -> HTTPExchange
  {
    var request = HTTPClientRequest(url: url)
    request.method = HTTPMethod(rawValue: method)
    for (name, value) in headers { request.headers.add(name: name, value: value) }
    if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
    do {
      let response = try await client.execute(request, timeout: .milliseconds(Int64(options.requestTimeout * 1000)))
      var collected = try await response.body.collect(upTo: options.maximumBodyBytes)
      let bytes = collected.readBytes(length: collected.readableBytes) ?? []
      var headerMap: [String: String] = [:]
      for (name, value) in response.headers { headerMap[name.lowercased()] = value }
      return HTTPExchange(status: Int(response.status.code), headers: headerMap, body: bytes)
    } catch let error as NIOTooManyBytesError {
      throw TransportFailure("response larger than \(options.maximumBodyBytes) bytes (\(error))")
    } catch let error as HTTPClientError {
      throw TransportFailure(Self.describe(error))
    } catch is CancellationError {
      throw CancellationError()
    } catch {
      throw TransportFailure(String(describing: error))
    }
  }

  package func shutdown() async throws { try await client.shutdown() }

  private static func describe(_ error: HTTPClientError) -> String {
    switch error {
    case .connectTimeout: "connection timed out"
    case .readTimeout, .deadlineExceeded: "request timed out"
    case .remoteConnectionClosed: "connection closed by the server before the response was complete"
    default: "\(error)"
    }
  }

  static func parseProxy(_ text: String) throws(ProxyError) -> HTTPClient.Configuration.Proxy {
    var rest = Substring(text)
    if let scheme = rest.firstRange(of: "://") {
      guard ["http", "https"].contains(rest[..<scheme.lowerBound].lowercased()) else { throw .unsupported(text) }
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
    guard let host = parts.first, !host.isEmpty else { throw .unsupported(text) }
    let port = parts.count > 1 ? Int(parts[1]) : 8080
    guard let port, (1...65535).contains(port) else { throw .unsupported(text) }
    return .server(host: String(host), port: port, authorization: authorization)
  }
}

package enum ProxyError: Error, Sendable, CustomStringConvertible {
  case unsupported(String)

  package var description: String {
    switch self {
    case .unsupported:
      "the proxy setting is not of the form http://[user:password@]host:port"
    }
  }
}
