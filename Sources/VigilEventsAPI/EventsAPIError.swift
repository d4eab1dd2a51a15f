import VigilBase
import VigilEventsAPIModel

/// Everything that can go wrong talking to the Events API, each case saying what to do next.
/// Messages never contain the token.
package enum EventsAPIError: Error, Sendable, CustomStringConvertible, Equatable {
  /// 401: the token is invalid, expired or revoked (or lacks the endpoint's feature).
  case unauthorized(stream: EventStream?, message: String?)
  /// The token's own claims say it cannot read this stream; no request was made.
  case featureMissing(EventStream)
  /// The token's `exp` claim is in the past; no request was made.
  case tokenExpired(Timestamp)
  /// 400 on a continuation: the cursor is no longer accepted; reset from the last stored time.
  case cursorRejected(message: String?)
  /// 400 on anything else: Vigil sent something the API refuses.
  case badRequest(message: String?)
  /// 404: the URL is not an Events API (wrong host or region).
  case notFound(url: String, message: String?)
  /// 429 still returned after every retry.
  case rateLimited(attempts: Int)
  /// 5xx still returned after every retry.
  case server(status: Int, message: String?, attempts: Int)
  /// Other unexpected HTTP status.
  case unexpectedStatus(Int, message: String?)
  /// No connection (refused, DNS, TLS, connect timeout) after every retry.
  case transport(String, attempts: Int)
  /// Connected, but every response broke off (closed early, cut short, stalled).
  case interrupted(String, attempts: Int)
  /// Vigil would not send the request (cleartext to a remote host, a bad header); not retried.
  case refused(String)
  /// A 200 whose body is not a page, after every retry; `body` is the last one, for quarantine.
  case invalidResponse(String, attempts: Int, body: [UInt8] = [])

  package var description: String {
    switch self {
    case .unauthorized(let stream, let message):
      let target = stream.map { " for \($0.displayName)" } ?? ""
      return "the Events API refused the token\(target) (401\(message.map { ": \($0)" } ?? "")): "
        + "it is invalid, expired, revoked or lacks the feature; issue a new token in 1Password (Integrations) "
        + "with the events you need"
    case .featureMissing(let stream):
      return "the token does not grant \(stream.displayName) (feature '\(stream.feature)'): "
        + "issue a token with that event type, or leave the stream out of the configuration"
    case .tokenExpired(let expiry):
      return "the token expired at \(expiry.rfc3339): issue a new token in 1Password (Integrations)"
    case .cursorRejected(let message):
      return "the Events API rejected the stored cursor (400\(message.map { ": \($0)" } ?? "")); "
        + "paging restarts from the last stored event time"
    case .badRequest(let message):
      return "the Events API rejected the request (400\(message.map { ": \($0)" } ?? ""))"
    case .notFound(let url, let message):
      return "\(url) answered 404\(message.map { " (\($0))" } ?? ""): it is not an Events API endpoint; "
        + "check the URL or region (events.1password.com, events.ent.1password.com, events.1password.ca, "
        + "events.1password.eu)"
    case .rateLimited(let attempts):
      return "the Events API kept answering 429 (rate limited) after \(attempts) attempts: "
        + "another client may share this token; give each integration its own token"
    case .server(let status, let message, let attempts):
      return "the Events API failed with \(status)\(message.map { ": \($0)" } ?? "") (\(attempts) attempts)"
    case .unexpectedStatus(let status, let message):
      return "the Events API answered \(status)\(message.map { ": \($0)" } ?? "")"
    case .transport(let reason, let attempts):
      return "cannot reach the Events API (\(reason)) after \(attempts) attempts: "
        + "check the URL, proxy and network"
    case .interrupted(let reason, let attempts):
      return "the Events API's response broke off (\(reason)) \(attempts) times in a row: the server, or a proxy "
        + "or firewall on the way, cuts responses short"
    case .refused(let reason):
      return "the request was not sent: \(reason)"
    case .invalidResponse(let reason, let attempts, _):
      return "the Events API answered 200 with a body that is not a page (\(reason)), "
        + "\(attempts) \(attempts == 1 ? "time" : "times in a row")"
    }
  }

  /// A few words for logs of a retried failure.
  package var shortReason: String {
    switch self {
    case .rateLimited: "429 rate limited"
    case .server(let status, let message, _): "\(status)\(message.map { " \($0)" } ?? "")"
    case .transport(let reason, _), .interrupted(let reason, _), .refused(let reason): reason
    case .invalidResponse(let reason, _, _): "not a page: \(reason)"
    default: description
    }
  }

  /// True for errors that only a new token fixes.
  package var isAuthorization: Bool {
    switch self {
    case .unauthorized, .featureMissing, .tokenExpired: true
    default: false
    }
  }
}
