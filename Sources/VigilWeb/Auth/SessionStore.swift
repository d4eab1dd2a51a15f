import VigilBase

/// A browser session: anonymous until sign-in (it carries the login form's CSRF token), then a user's.
struct Session: Sendable, Hashable {
  var id: String
  var csrf: String
  var user: String?
  var created: Double
  var lastSeen: Double
}

/// Sessions in memory: a restart signs everyone out, which is the safe direction. Ids are 256 random
/// bits; a new id is issued at sign-in (no fixation), sessions end after `idle` seconds without a
/// request and `absolute` seconds after sign-in, and the table is bounded.
actor SessionStore {
  static let mostSessions = 10_000
  let clock: any VigilClock
  let idle: Double
  let absolute: Double
  private var sessions: [String: Session] = [:]

  init(clock: any VigilClock, idle: Double, absolute: Double) {
    self.clock = clock
    self.idle = idle
    self.absolute = absolute
  }

  private var now: Double { clock.now.epochSeconds }

  /// A new anonymous session (for the login form).
  func anonymous() -> Session {
    let session = Session(id: SecureToken.make(), csrf: SecureToken.make(), user: nil, created: now, lastSeen: now)
    store(session)
    return session
  }

  /// The live session with this id, its last use updated; nil when unknown or expired.
  func find(_ id: String) -> Session? {
    guard var session = sessions[id] else { return nil }
    let now = self.now
    let lifetime = session.user == nil ? idle : absolute
    guard now - session.lastSeen <= idle, now - session.created <= lifetime else {
      sessions[id] = nil
      return nil
    }
    session.lastSeen = now
    sessions[id] = session
    return session
  }

  /// Signs `user` in: the old session (if any) ends and a new one, with a new id and CSRF token, begins.
  func signIn(_ user: String, replacing old: String?) -> Session {
    if let old { sessions[old] = nil }
    let session = Session(id: SecureToken.make(), csrf: SecureToken.make(), user: user, created: now, lastSeen: now)
    store(session)
    return session
  }

  func end(_ id: String) { sessions[id] = nil }

  private func store(_ session: Session) {
    if sessions.count >= Self.mostSessions { sweep() }
    if sessions.count >= Self.mostSessions,
      let oldest = sessions.values.min(by: {
        ($0.user == nil ? 0 : 1, $0.lastSeen) < ($1.user == nil ? 0 : 1, $1.lastSeen)
      })
    {
      sessions[oldest.id] = nil
    }
    sessions[session.id] = session
  }

  private func sweep() {
    let now = self.now
    sessions = sessions.filter { _, session in
      now - session.lastSeen <= idle && now - session.created <= (session.user == nil ? idle : absolute)
    }
  }
}
