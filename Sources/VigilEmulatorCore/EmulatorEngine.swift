import Synchronization
import VigilBase
import VigilEventsAPIModel
import VigilJSON

/// The emulated Events API: accounts, their event logs, tokens, rate limits and faults. Every request
/// is answered from here; the HTTP server only moves bytes. Thread-safe.
package final class EmulatorEngine: Sendable {
  package let options: EmulatorOptions
  private let baseClock: any VigilClock
  private let state: Mutex<State>

  struct Account {
    var organisation: Organisation
    var generator: ActivityGenerator
    var logs: [EventStream: EventLog]
  }

  struct State {
    var accounts: [Account]
    var scenarios: [ScenarioInstance]
    var tokens: TokenAuthority
    var limiter: RequestLimiter
    var cursors: CursorCodec
    var faults: FaultPlan
    var faultRandom: SeededGenerator
    var clockOffset: Double = 0
    /// Days (since 1970) generated so far, exclusive upper bound.
    var generatedThrough: Int
    var stats = EmulatorStats()
    var nextTokenSerial = 0
    /// Uuids served per account uuid and stream, when `recordServed` is on.
    var served: [String: [EventStream: Set<String>]] = [:]
  }

  package init(options: EmulatorOptions, clock: any VigilClock) throws(ReplayError) {
    self.options = options
    self.baseClock = clock
    let now = clock.now
    let firstDay = Int((now.seconds - Int64(options.days) * 86_400) / 86_400)
    let lastDay = Int(now.seconds / 86_400) + 1
    var accounts: [Account] = []
    var scenarios: [ScenarioInstance] = []
    var msp: Organisation?
    for index in 0..<max(1, options.accounts) {
      var organisation = Organisation.generate(seed: options.seed, accountIndex: index, users: options.users)
      if let msp {
        for technician in msp.members.filter(\.isAdmin).prefix(2) {
          var external = technician
          external.isExternal = true
          external.isAdmin = true
          external.userAccountUUID = msp.accountUUID
          organisation.members.append(external)
        }
      } else if options.accounts > 1 {
        msp = organisation
      }
      let generator = ActivityGenerator(organisation: organisation, seed: options.seed, accountIndex: index)
      var logs: [EventStream: EventLog] = [:]
      for stream in EventStream.allCases { logs[stream] = EventLog() }
      var account = Account(organisation: organisation, generator: generator, logs: logs)
      var batch: [EmulatedEvent] = []
      for day in firstDay...lastDay { batch += generator.events(day: day) }
      var builder = ScenarioBuilder(generator: generator, seed: options.seed)
      for (position, name) in options.scenarios.enumerated() {
        let span = Double(options.days) * 86_400
        let offset = span * Double(options.scenarios.count - position) / Double(options.scenarios.count + 1)
        let instance = builder.build(name, at: now.adding(seconds: -offset + Double(index) * 3600))
        scenarios.append(instance)
        batch += instance.events
      }
      if index == 0 { batch += try Self.replayEvents(options.replay, now: now) }
      Self.insert(batch, into: &account)
      accounts.append(account)
    }
    state = Mutex(
      State(
        accounts: accounts, scenarios: scenarios,
        tokens: TokenAuthority(keySeed: options.tokenKeySeed, audience: options.audience),
        limiter: RequestLimiter(limits: options.limits), cursors: CursorCodec(seed: options.seed),
        faults: options.faults,
        faultRandom: SeededGenerator(seed: options.seed, purpose: "faults"), generatedThrough: lastDay + 1))
  }

  private static func insert(_ events: [EmulatedEvent], into account: inout Account) {
    var byStream: [EventStream: [EmulatedEvent]] = [:]
    for event in events { byStream[event.stream, default: []].append(event) }
    for (stream, events) in byStream { account.logs[stream, default: EventLog()].insert(events) }
  }

  private static func replayEvents(_ replay: [(EventStream, [UInt8])], now: Timestamp) throws(ReplayError)
    -> [EmulatedEvent]
  {
    var events: [EmulatedEvent] = []
    var copies: [EventStream: [String: Int]] = [:]
    for (stream, line) in replay {
      guard let document = try? JSONDocument(bytes: line), let event = WireEvent(stream: stream, json: document.root),
        let uuid = event.uuid
      else { throw .unreadableItem(stream) }
      // A repeated uuid is served again, as the real API may deliver an event twice: each further copy
      // is inserted a millisecond later so that it has a position of its own in the cursor order.
      let copy = copies[stream, default: [:]][uuid, default: 0]
      copies[stream, default: [:]][uuid] = copy + 1
      let insertedAt = (event.timestamp ?? now).adding(seconds: Double(copy) / 1000)
      events.append(EmulatedEvent(event: event, insertedAt: insertedAt, raw: line))
    }
    return events
  }

  // MARK: - Time

  /// The emulator's "now": the base clock plus any advance made through the admin API.
  package var now: Timestamp { baseClock.now.adding(seconds: state.withLock { $0.clockOffset }) }

  package func advanceClock(seconds: Double) {
    state.withLock { $0.clockOffset += seconds }
  }

  /// Generates further days of live activity as time moves on.
  private func extendGeneration(_ state: inout State, now: Timestamp) {
    let needed = Int(now.seconds / 86_400) + 2
    while state.generatedThrough < needed {
      let day = state.generatedThrough
      for index in state.accounts.indices {
        Self.insert(state.accounts[index].generator.events(day: day), into: &state.accounts[index])
      }
      state.generatedThrough += 1
    }
  }

  // MARK: - API

  /// `POST /api/{v1,v2}/{stream}`.
  package func events(version: APIVersion, stream: EventStream, authorization: String?, body: [UInt8])
    -> EmulatorResponse
  {
    let now = self.now
    return state.withLock { state -> EmulatorResponse in
      state.stats.requests += 1
      let claims: TokenAuthority.Claims
      switch authorize(&state, authorization: authorization, now: now) {
      case .failure(let rejection): return rejection.response
      case .success(let value): claims = value
      }
      guard claims.features.contains(stream.feature) else {
        state.stats.unauthorized += 1
        return .error(401, "Unauthorized", version: version)
      }
      if case .limited(let retryAfter) = state.limiter.admit(token: claims.tokenID, now: now.epochSeconds) {
        state.stats.rateLimited += 1
        var headers: [(String, String)] = []
        if options.sendRetryAfter { headers.append(("Retry-After", String(Int(retryAfter.rounded(.up))))) }
        return .error(429, "Too Many Requests", version: version, headers: headers)
      }
      state.stats.accepted += 1
      let fault = state.faults.draw(using: &state.faultRandom)
      if let fault { state.stats.faults[fault.rawValue, default: 0] += 1 }
      switch fault {
      case .status500: return .error(500, "Internal Server Error", version: version)
      case .status502:
        return EmulatorResponse(
          status: 502, headers: [("Content-Type", "text/html")],
          body: Array("<html><body><h1>502 Bad Gateway</h1></body></html>".utf8))
      case .status503: return .error(503, "Service Unavailable", version: version)
      case .status504:
        return EmulatorResponse(
          status: 504, headers: [("Content-Type", "text/plain")], body: Array("upstream request timeout".utf8))
      case .invalid:
        return .json(200, Array(#"{"items":[{"uuid":"#.utf8) + [0xFF] + Array(#""}],"cursor":}"#.utf8))
      default: break
      }
      guard let account = state.accounts.firstIndex(where: { $0.organisation.accountUUID == claims.accountUUID }) else {
        return .error(401, "Unauthorized", version: version)
      }
      extendGeneration(&state, now: now)
      var response = page(
        &state, account: account, version: version, stream: stream, body: body, now: now, emptyFault: fault == .empty)
      switch fault {
      case .slow: response.delay = state.faults.slowSeconds
      case .reset: response.transportFault = .reset
      case .truncate: response.transportFault = .truncate
      default: break
      }
      return response
    }
  }

  private func authorize(_ state: inout State, authorization: String?, now: Timestamp)
    -> Result<TokenAuthority.Claims, EmulatorRejection>
  {
    guard let authorization, authorization.lowercased().hasPrefix("bearer ") else {
      state.stats.unauthorized += 1
      return .failure(EmulatorRejection(response: .error(401, "Unauthorized")))
    }
    let token = String(authorization.dropFirst(7)).trimmingWhitespace
    do throws(TokenAuthority.Rejection) {
      return .success(try state.tokens.verify(token, now: now))
    } catch {
      state.stats.unauthorized += 1
      return .failure(EmulatorRejection(response: .error(401, "Unauthorized")))
    }
  }

  private func page(
    _ state: inout State, account: Int, version: APIVersion, stream: EventStream, body: [UInt8], now: Timestamp,
    emptyFault: Bool
  ) -> EmulatorResponse {
    let accountUUID = state.accounts[account].organisation.accountUUID
    let cursorState: CursorState
    switch parseRequest(body, state: state, account: accountUUID, stream: stream, now: now) {
    case .failure(let problem):
      state.stats.badRequests += 1
      return .error(400, problem.message, version: version)
    case .success(let parsed): cursorState = parsed
    }
    let retentionStart = now.adding(seconds: -Double(options.retentionDays) * 86_400)
    var next = cursorState
    var items: [EmulatedEvent] = []
    var hasMore: Bool
    if emptyFault {
      hasMore = true
      next.serial += 1
    } else {
      let log = state.accounts[account].logs[stream] ?? EventLog()
      let result = log.page(
        after: cursorState.position, now: now, start: max(cursorState.start, retentionStart), end: cursorState.end,
        limit: cursorState.limit)
      items = result.items
      hasMore = result.hasMore
      if !items.isEmpty {
        next.position = items.last?.orderKey
      } else if result.last != cursorState.position {
        next.position = result.last
      }
    }
    let encoder = WireEncoder(version: version, nullDetails: true)
    var writer = JSONWriter(capacity: items.count * 700 + 128)
    writer.beginObject()
    writer.key("cursor")
    writer.string(state.cursors.encode(next))
    writer.key("has_more")
    writer.bool(hasMore)
    writer.key("items")
    writer.beginArray()
    for item in items {
      if let raw = item.raw { writer.raw(raw) } else { encoder.encode(item.event, into: &writer) }
    }
    writer.endArray()
    writer.endObject()
    state.stats.itemsServed += items.count
    if options.recordServed {
      state.served[accountUUID, default: [:]][stream, default: []].formUnion(items.map(\.uuid))
    }
    return .json(200, writer.bytes)
  }

  private func parseRequest(_ body: [UInt8], state: State, account: String, stream: EventStream, now: Timestamp)
    -> Result<CursorState, RequestProblem>
  {
    // An empty body is a reset with every default.
    var root: JSONValue?
    if !body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
      guard let document = try? JSONDocument(bytes: body), document.root.kind == .object else {
        return .failure(RequestProblem("Invalid request body"))
      }
      root = document.root
    }
    if let cursorValue = root?["cursor"], !cursorValue.isNull {
      guard let text = cursorValue.string, let decoded = state.cursors.decode(text), decoded.accountUUID == account,
        decoded.stream == stream
      else { return .failure(RequestProblem("Invalid cursor")) }
      return .success(decoded)
    }
    var limit = 100
    if let value = root?["limit"], !value.isNull {
      guard let number = value.double, number.rounded() == number, number >= 1, number <= 1000 else {
        return .failure(RequestProblem("Invalid limit: must be between 1 and 1000"))
      }
      limit = Int(number)
    }
    var end: Timestamp?
    if let value = root?["end_time"], !value.isNull {
      guard let parsed = value.string.flatMap(Timestamp.init(rfc3339:)) else {
        return .failure(RequestProblem("Invalid end_time: must be RFC 3339"))
      }
      end = parsed
    }
    var start = (end ?? now).adding(seconds: -3600)
    if let value = root?["start_time"], !value.isNull {
      guard let parsed = value.string.flatMap(Timestamp.init(rfc3339:)) else {
        return .failure(RequestProblem("Invalid start_time: must be RFC 3339"))
      }
      start = parsed
    }
    return .success(
      CursorState(accountUUID: account, stream: stream, position: nil, limit: limit, start: start, end: end, serial: 0))
  }

  /// `GET /api/v2/auth/introspect` and the deprecated `GET /api/auth/introspect`.
  package func introspect(deprecated: Bool, authorization: String?) -> EmulatorResponse {
    let now = self.now
    return state.withLock { state in
      state.stats.requests += 1
      let claims: TokenAuthority.Claims
      switch authorize(&state, authorization: authorization, now: now) {
      case .failure(let rejection): return rejection.response
      case .success(let value): claims = value
      }
      var writer = JSONWriter()
      writer.beginObject()
      if deprecated {
        writer.field("UUID", claims.tokenID)
        writer.field("IssuedAt", claims.issuedAt.rfc3339)
        writer.key("Features")
      } else {
        writer.field("uuid", claims.tokenID)
        writer.field("issued_at", claims.issuedAt.rfc3339)
        writer.key("features")
      }
      writer.beginArray()
      for feature in claims.features { writer.string(feature) }
      writer.endArray()
      if !deprecated { writer.field("account_uuid", claims.accountUUID) }
      writer.endObject()
      return .json(200, writer.bytes)
    }
  }

  // MARK: - Administration

  package struct IssuedToken: Sendable {
    package var token: String
    package var tokenID: String
    package var accountUUID: String
  }

  package enum AdminError: Error, Equatable, Sendable, CustomStringConvertible {
    case unknownAccount(String)
    case unknownFeature(String)

    package var description: String {
      switch self {
      case .unknownAccount(let account): "no emulated account '\(account)'"
      case .unknownFeature(let feature):
        "unknown feature '\(feature)': use \(EventStream.allCases.map(\.feature).joined(separator: ", "))"
      }
    }
  }

  /// Issues a token for an account (by uuid, name or index; the first by default).
  package func issueToken(account: String? = nil, features: [String]? = nil, expiresIn: Double? = nil)
    throws(AdminError)
    -> IssuedToken
  {
    let now = self.now
    let features = features ?? EventStream.allCases.map(\.feature)
    for feature in features where EventStream(rawValue: feature) == nil { throw .unknownFeature(feature) }
    let result: Result<IssuedToken, AdminError> = state.withLock { state in
      guard let index = Self.accountIndex(account, in: state.accounts) else {
        return .failure(.unknownAccount(account ?? ""))
      }
      state.nextTokenSerial += 1
      var random = SeededGenerator(seed: options.seed, purpose: "token", index: state.nextTokenSerial)
      let tokenID = Base32ID.make(using: &random)
      let accountUUID = state.accounts[index].organisation.accountUUID
      let token = state.tokens.issue(
        account: accountUUID, features: features, issuedAt: now, expiresAt: expiresIn.map { now.adding(seconds: $0) },
        tokenID: tokenID)
      return .success(IssuedToken(token: token, tokenID: tokenID, accountUUID: accountUUID))
    }
    return try result.get()
  }

  private static func accountIndex(_ key: String?, in accounts: [Account]) -> Int? {
    guard let key, !key.isEmpty else { return accounts.isEmpty ? nil : 0 }
    if let index = Int(key), accounts.indices.contains(index) { return index }
    return accounts.firstIndex { $0.organisation.accountUUID == key || $0.organisation.name == key }
  }

  /// Revokes by token id (`jti`) or by the token itself. Returns false when nothing matched.
  package func revoke(_ tokenOrID: String) -> Bool {
    let id = (try? EventsToken(tokenOrID))?.tokenID ?? tokenOrID
    guard !id.isEmpty else { return false }
    state.withLock { $0.tokens.revoke(tokenID: id) }
    return true
  }

  /// Makes every cursor issued so far invalid (the API then answers 400).
  package func invalidateCursors() { state.withLock { $0.cursors.rotate() } }

  package func setFaults(_ plan: FaultPlan) { state.withLock { $0.faults = plan } }

  package var stats: EmulatorStats { state.withLock { $0.stats } }

  package struct AccountSummary: Sendable {
    package var uuid: String
    package var name: String
    package var users: Int
  }

  package var accounts: [AccountSummary] {
    state.withLock { state in
      state.accounts.map {
        AccountSummary(
          uuid: $0.organisation.accountUUID, name: $0.organisation.name, users: $0.organisation.members.count)
      }
    }
  }

  /// The uuids a complete pull of `stream` must have returned by now, in cursor order.
  package func groundTruth(account: String? = nil, stream: EventStream) -> [String] {
    let now = self.now
    return state.withLock { state in
      guard let index = Self.accountIndex(account, in: state.accounts) else { return [] }
      extendGeneration(&state, now: now)
      let retentionStart = now.adding(seconds: -Double(options.retentionDays) * 86_400)
      return (state.accounts[index].logs[stream] ?? EventLog()).visible(at: now, retentionStart: retentionStart).map(
        \.uuid)
    }
  }

  /// Every event generated, visible or not yet (for tests of late insertion).
  package func allEvents(account: String? = nil, stream: EventStream) -> [EmulatedEvent] {
    state.withLock { state in
      guard let index = Self.accountIndex(account, in: state.accounts) else { return [] }
      return state.accounts[index].logs[stream]?.events ?? []
    }
  }

  package var scenarios: [ScenarioInstance] { state.withLock { $0.scenarios } }

  /// The uuids of `stream` served so far in complete 200 responses (with `recordServed` on).
  package func served(account: String? = nil, stream: EventStream) -> Set<String> {
    state.withLock { state in
      guard let index = Self.accountIndex(account, in: state.accounts) else { return [] }
      return state.served[state.accounts[index].organisation.accountUUID]?[stream] ?? []
    }
  }
}

/// Counters the admin API reports.
package struct EmulatorStats: Sendable, Hashable {
  package var requests = 0
  package var accepted = 0
  package var rateLimited = 0
  package var unauthorized = 0
  package var badRequests = 0
  package var itemsServed = 0
  package var faults: [String: Int] = [:]
}

struct EmulatorRejection: Error {
  var response: EmulatorResponse
}

struct RequestProblem: Error {
  var message: String
  init(_ message: String) { self.message = message }
}

package enum ReplayError: Error, Equatable, Sendable, CustomStringConvertible {
  case unreadableItem(EventStream)

  package var description: String {
    switch self {
    case .unreadableItem(let stream): "a replayed \(stream.displayName) item is not a JSON object with a uuid"
    }
  }
}
