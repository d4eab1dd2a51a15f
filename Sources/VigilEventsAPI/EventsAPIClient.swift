import Logging
import VigilBase
import VigilEventsAPIModel

/// Talks to one Events API account with one token: paging requests for each stream and introspection,
/// within the token's shared rate budget, retrying what is transient and explaining what is not.
package final class EventsAPIClient: Sendable {
  package struct Configuration: Sendable {
    /// Overrides the host named by the token (required for legacy tokens, the emulator and proxies
    /// that terminate TLS).
    package var baseURL: String?
    package var version: APIVersion = .v2
    package var limits: RateLimits = .eventsAPI
    package var backoff: Backoff = .standard
    /// Attempts per request for transient failures (429, 5xx, connection failures, broken bodies).
    package var maximumAttempts = 8
    /// Attempts when a 200 body is not a page: a glitch passes after one retry or two, a server that
    /// sends garbage does not, and waiting minutes on it helps nobody.
    package var malformedAttempts = 3

    package init(baseURL: String? = nil) { self.baseURL = baseURL }
  }

  package let token: EventsToken
  package let configuration: Configuration
  package let baseURL: String
  package let gate: RateGate
  private let transport: any HTTPTransport
  private let clock: any VigilClock

  /// The client's idea of now (the clock it paces itself by).
  package var now: Timestamp { clock.now }
  private let logger: Logger

  /// - Parameter gate: share one gate between clients of the same token; by default a new one.
  package init(
    token: EventsToken, configuration: Configuration, transport: any HTTPTransport, clock: any VigilClock,
    gate: RateGate? = nil, logger: Logger = Logger(label: "vigil.eventsapi")
  ) throws(TokenError) {
    self.token = token
    self.configuration = configuration
    self.baseURL = try token.baseURL(override: configuration.baseURL)
    self.gate = gate ?? RateGate(limits: configuration.limits, clock: clock)
    self.transport = transport
    self.clock = clock
    var logger = logger
    logger[metadataKey: "api"] = .string(baseURL)
    self.logger = logger
  }

  /// The API's host, as `/metrics` labels it.
  var metricsHost: String {
    String(baseURL.drop { $0 != "/" }.drop { $0 == "/" }.prefix { $0 != "/" })
  }

  /// Fetches one page of `stream`. Checks the token's own claims first, so an expired token or a
  /// missing feature costs no request.
  package func page(_ stream: EventStream, request: PageRequest) async throws(EventsAPIError) -> EventPage {
    if !token.features.isEmpty, !token.features.contains(stream.feature) { throw .featureMissing(stream) }
    if let expiry = token.expiresAt, token.isExpired(at: clock.now) { throw .tokenExpired(expiry) }
    let path = configuration.version.path(for: stream)
    let body = request.body
    return try await withRetries(path: path, stream: stream) { exchange throws(EventsAPIError) in
      switch exchange.status {
      case 200:
        do throws(PageDecodingError) {
          return .done(try EventPage(stream: stream, body: exchange.body))
        } catch {
          return .retry(.invalidResponse(error.description, attempts: 0, body: exchange.body))
        }
      case 400:
        let message = ErrorBody.message(from: exchange.body)
        if case .cursor = request { throw .cursorRejected(message: message) }
        throw .badRequest(message: message)
      default:
        return try self.classify(exchange, stream: stream, path: path)
      }
    } send: {
      try await self.transport.send(
        method: "POST", url: self.baseURL + path, headers: self.headers(json: true), body: body)
    }
  }

  /// Asks the API what it knows of the token (v2 by default, or the deprecated PascalCase endpoint).
  package func introspect(deprecated: Bool = false) async throws(EventsAPIError) -> Introspection {
    let path = deprecated ? IntrospectionPath.v1 : IntrospectionPath.v2
    return try await withRetries(path: path, stream: nil) { exchange throws(EventsAPIError) in
      guard exchange.status == 200 else { return try self.classify(exchange, stream: nil, path: path) }
      guard let introspection = Introspection(body: exchange.body) else {
        return .retry(
          .invalidResponse("introspection body is not a JSON object", attempts: 0, body: exchange.body))
      }
      return .done(introspection)
    } send: {
      try await self.transport.send(
        method: "GET", url: self.baseURL + path, headers: self.headers(json: false), body: nil)
    }
  }

  private func headers(json: Bool) -> [(String, String)] {
    var headers = [
      ("Authorization", "Bearer \(token.bearer)"), ("User-Agent", "Vigil/0.1"), ("Accept", "application/json"),
    ]
    if json { headers.append(("Content-Type", "application/json")) }
    return headers
  }

  enum Step<Value> {
    case done(Value)
    /// A transient failure: the error to report if no attempt is left.
    case retry(EventsAPIError)
  }

  /// Status codes other than 200/400, shared by every endpoint.
  private func classify<Value>(_ exchange: HTTPExchange, stream: EventStream?, path: String) throws(EventsAPIError)
    -> Step<Value>
  {
    let message = ErrorBody.message(from: exchange.body)
    switch exchange.status {
    case 401, 403: throw .unauthorized(stream: stream, message: message)
    case 404: throw .notFound(url: baseURL + path, message: message)
    case 429: return .retry(.rateLimited(attempts: 0))
    case 500...599: return .retry(.server(status: exchange.status, message: message, attempts: 0))
    case 400: throw .badRequest(message: message)
    default: throw .unexpectedStatus(exchange.status, message: message)
    }
  }

  private func withRetries<Value>(
    path: String, stream: EventStream?,
    handle: (HTTPExchange) throws(EventsAPIError) -> Step<Value>,
    send: () async throws -> HTTPExchange
  ) async throws(EventsAPIError) -> Value {
    var generator = SystemRandomNumberGenerator()
    var attempt = 0
    while true {
      attempt += 1
      let failure: EventsAPIError
      var retryAfter: Double?
      do {
        try await gate.acquire()
        let exchange = try await send()
        APIMetrics.answered(exchange, host: metricsHost, token: token.tokenID)
        await honourRateHeaders(exchange)
        switch try handle(exchange) {
        case .done(let value): return value
        case .retry(let error):
          failure = error
          if exchange.status == 429 { retryAfter = Self.retryAfter(exchange.headers, now: clock.now) }
        }
      } catch let error as EventsAPIError {
        throw error
      } catch is CancellationError {
        throw .transport("cancelled", attempts: attempt)
      } catch let error as TransportFailure {
        APIMetrics.failed(host: metricsHost)
        switch error.kind {
        case .refused: throw .refused(error.reason)
        case .interrupted: failure = .interrupted(error.reason, attempts: 0)
        case .unreachable: failure = .transport(error.reason, attempts: 0)
        }
      } catch {
        failure = .transport(String(describing: error), attempts: 0)
      }
      var limit = configuration.maximumAttempts
      if case .invalidResponse = failure { limit = min(limit, configuration.malformedAttempts) }
      guard attempt < limit else { throw failure.withAttempts(attempt) }
      let delay = retryAfter ?? configuration.backoff.delay(attempt: attempt - 1, using: &generator)
      logger.warning(
        "Events API request failed; retrying",
        metadata: [
          "path": .string(path), "attempt": .stringConvertible(attempt), "retry_in_s": .string(String(format: delay)),
          "reason": .string(failure.shortReason),
        ])
      if case .rateLimited = failure {
        await gate.hold(seconds: delay)
      } else {
        do { try await clock.sleep(seconds: delay) } catch { throw .transport("cancelled", attempts: attempt) }
      }
    }
  }

  /// `RateLimit-Remaining: 0` with `RateLimit-Reset` on any response holds the token's next request;
  /// any `RateLimit-Remaining` is noted for the health page.
  /// Awaited, so the hold is in place before this token's next request asks for a slot.
  private func honourRateHeaders(_ exchange: HTTPExchange) async {
    if let remaining = exchange.headers["ratelimit-remaining"].flatMap({ Int($0.trimmingWhitespace) }) {
      await gate.noteServerRemaining(remaining)
    }
    guard exchange.status != 429, exchange.headers["ratelimit-remaining"].flatMap({ Int($0) }) == 0,
      let reset = exchange.headers["ratelimit-reset"].flatMap({ Double($0) }), reset > 0
    else { return }
    await gate.hold(seconds: min(reset, 3600))
  }

  /// Seconds to wait from `Retry-After` (delta seconds) or `RateLimit-Reset`, capped at an hour.
  static func retryAfter(_ headers: [String: String], now: Timestamp) -> Double? {
    if let value = headers["retry-after"]?.trimmingWhitespace {
      if let seconds = Double(value), seconds >= 0 { return min(seconds, 3600) }
    }
    if let reset = headers["ratelimit-reset"].flatMap({ Double($0.trimmingWhitespace) }), reset >= 0 {
      return min(reset, 3600)
    }
    return nil
  }
}

extension EventsAPIError {
  func withAttempts(_ attempts: Int) -> EventsAPIError {
    switch self {
    case .rateLimited: .rateLimited(attempts: attempts)
    case .server(let status, let message, _): .server(status: status, message: message, attempts: attempts)
    case .transport(let reason, _): .transport(reason, attempts: attempts)
    case .interrupted(let reason, _): .interrupted(reason, attempts: attempts)
    case .invalidResponse(let reason, _, let body): .invalidResponse(reason, attempts: attempts, body: body)
    default: self
    }
  }
}

extension String {
  fileprivate init(format seconds: Double) {
    self = String(Double(Int(seconds * 1000)) / 1000)
  }
}
