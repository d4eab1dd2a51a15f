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
  /// What kind of failure it was, so that the message can say what to look at.
  package enum Kind: Sendable, Hashable {
    /// No connection: refused, DNS, TLS, connect timeout. The URL, proxy or network are to blame.
    case unreachable
    /// Connected, but the exchange broke off: closed early, a body cut short, a stalled body.
    case interrupted
    /// Vigil would not send it (cleartext to a remote host, a downgrading redirect, a bad header);
    /// retrying cannot help.
    case refused
  }

  package var reason: String
  package var kind: Kind
  package init(_ reason: String, kind: Kind = .unreachable) {
    self.reason = reason
    self.kind = kind
  }
  package var description: String { reason }
}
