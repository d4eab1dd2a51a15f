/// One HTTP response, fully read.
package struct HTTPExchange: Sendable {
  package var status: Int
  /// Header names lower-cased.
  package var headers: [String: String]
  package var body: [UInt8]

  package init(status: Int, headers: [String: String], body: [UInt8]) {
    self.status = status
    self.headers = headers
    self.body = body
  }
}

/// The seam between the Events API client and the network.
package protocol HTTPTransport: Sendable {
  /// Sends one request; throws ``TransportFailure`` when no complete response arrives.
  func send(method: String, url: String, headers: [(String, String)], body: [UInt8]?) async throws -> HTTPExchange
  func shutdown() async throws
}

/// A request that produced no complete HTTP response: refused, reset, timed out, or cut short.
package struct TransportFailure: Error, Sendable, CustomStringConvertible {
  package var reason: String
  package init(_ reason: String) { self.reason = reason }
  package var description: String { reason }
}
