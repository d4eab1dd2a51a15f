import Synchronization
import VigilBase

/// A scripted ``HTTPTransport``: answers each request from a handler and records what was sent, so a
/// test can check headers, URLs and retries without a network.
package final class FakeTransport: HTTPTransport {
  package struct Request: Sendable {
    package var method: String
    package var url: String
    package var headers: [(String, String)]
    package var body: [UInt8]?
  }

  private let handler: @Sendable (Request) throws -> HTTPExchange
  private let sent = Mutex<[Request]>([])

  package init(_ handler: @escaping @Sendable (Request) throws -> HTTPExchange) { self.handler = handler }

  /// Always the same answer.
  package convenience init(status: Int, headers: [String: String] = [:], body: String = "") {
    self.init { _ in HTTPExchange(status: status, headers: headers, body: Array(body.utf8)) }
  }

  /// Every request so far, oldest first.
  package var requests: [Request] { sent.withLock { $0 } }

  package func send(method: String, url: String, headers: [(String, String)], body: [UInt8]?) async throws
    -> HTTPExchange
  {
    let request = Request(method: method, url: url, headers: headers, body: body)
    sent.withLock { $0.append(request) }
    return try handler(request)
  }

  package func shutdown() async throws {}
}
