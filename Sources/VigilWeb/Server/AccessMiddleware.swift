import HTTPTypes
import Hummingbird
import VigilDashboards

/// Decides who may see what. Open to all: `/login`, `/healthz`, `/readyz` and `/static/`. `/api/` and
/// `/metrics` take an API token (`Authorization: Bearer …`) or a signed-in session; every other path
/// takes a session, and sends the browser to the login page without one. A session's state-changing
/// API call must carry its CSRF token in `X-CSRF-Token` (forms carry it as `_csrf`, checked by the page).
struct AccessMiddleware: RouterMiddleware {
  typealias Context = WebContext
  let sessions: SessionStore
  let credentials: Credentials

  static let sessionCookie = "vigil_session"
  static let csrfHeader = HTTPField.Name("X-CSRF-Token")

  static func isPublic(_ path: String) -> Bool {
    path == "/login" || path == "/healthz" || path == "/readyz" || path.hasPrefix("/static/")
  }

  func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response)
    async throws -> Response
  {
    let path = request.uri.path
    if Self.isPublic(path) { return try await next(request, context) }
    var context = context
    let isAPI = path.hasPrefix("/api/") || path == "/api" || path == "/metrics"
    if isAPI, let authorization = request.headers[.authorization] {
      guard authorization.count > 7, authorization.prefix(7).lowercased() == "bearer ",
        let name = credentials.tokenName(String(authorization.dropFirst(7)))
      else { return WebResponse.json(.unauthorized, ["error": "the API token is not valid"]) }
      context.identity = Identity(name: name, kind: .token)
      return try await next(request, context)
    }
    guard let id = request.cookies[Self.sessionCookie]?.value, let session = await sessions.find(id),
      let user = session.user
    else {
      if isAPI {
        return WebResponse.json(.unauthorized, ["error": "sign in, or send an API token as a bearer token"])
      }
      if request.method == .get || request.method == .head {
        return WebResponse.redirect(to: "/login?" + URLQuery.encode([("next", request.uri.description)]))
      }
      return WebResponse.error(.forbidden, message: "Your session has ended; sign in again.", request: request)
    }
    if isAPI, request.method != .get, request.method != .head {
      guard let header = Self.csrfHeader, let sent = request.headers[header], SecureToken.equal(sent, session.csrf)
      else {
        return WebResponse.json(.forbidden, ["error": "missing or wrong X-CSRF-Token for this session"])
      }
    }
    context.identity = Identity(name: user, kind: .user(session: session.id, csrf: session.csrf))
    return try await next(request, context)
  }
}
