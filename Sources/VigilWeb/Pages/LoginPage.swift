import HTTPTypes
import Hummingbird
import Logging
import VigilCharts
import VigilDashboards

extension WebApp {
  /// `GET /login` gives an anonymous session (its CSRF token is in the form); `POST /login` checks the
  /// token, the throttle and the password, then signs in with a new session id; `POST /logout` ends it.
  func addLogin(to router: Router<WebContext>) {
    router.get("/login") { request, _ in
      let parameters = Self.parameters(request)
      let session = await anonymousSession(request)
      var response = WebResponse.html(
        loginPage(csrf: session.csrf, next: WebResponse.safeNext(parameters["next"]), problem: nil))
      response.setCookie(cookie(session.id))
      return response
    }
    router.post("/login") { request, context in
      var request = request
      let body = try await request.collectBody(upTo: context.maxUploadSize)
      let fields = URLQuery.decode(String(buffer: body))
      let next = WebResponse.safeNext(fields["next"])
      guard let id = request.cookies[AccessMiddleware.sessionCookie]?.value, let session = await sessions.find(id),
        let sent = fields["_csrf"], SecureToken.equal(sent, session.csrf)
      else {
        let fresh = await sessions.anonymous()
        var response = WebResponse.html(
          loginPage(csrf: fresh.csrf, next: next, problem: "The form expired; sign in again."), status: .forbidden)
        response.setCookie(cookie(fresh.id))
        return response
      }
      let name = String((fields["name"] ?? "").prefix(128))
      let password = fields["password"] ?? ""
      if let wait = await throttle.retryAfter(user: name, address: context.peer) {
        logger.warning("sign-in throttled", metadata: ["address": .string(context.peer)])
        var response = WebResponse.html(
          loginPage(
            csrf: session.csrf, next: next,
            problem: "Too many failed sign-ins; try again in \(Int(wait.rounded(.up))) seconds."),
          status: .tooManyRequests)
        response.headers[.retryAfter] = String(Int(wait.rounded(.up)))
        return response
      }
      guard await credentials.verify(user: name, password: password) else {
        await throttle.failed(user: name, address: context.peer)
        logger.notice("sign-in failed", metadata: ["address": .string(context.peer)])
        return WebResponse.html(
          loginPage(csrf: session.csrf, next: next, problem: "Wrong name or password."), status: .unauthorized)
      }
      await throttle.succeeded(user: name)
      let signedIn = await sessions.signIn(name, replacing: session.id)
      logger.info("signed in", metadata: ["user": .string(name)])
      var response = WebResponse.redirect(to: next)
      response.setCookie(cookie(signedIn.id))
      return response
    }
    router.post("/logout") { request, context in
      _ = try await form(request, context: context)
      if case .user(let session, _)? = context.identity?.kind { await sessions.end(session) }
      var response = WebResponse.redirect(to: "/login")
      response.setCookie(cookie("", maxAge: 0))
      return response
    }
  }

  /// The session the browser has, when it is still live, else a new anonymous one.
  func anonymousSession(_ request: Request) async -> Session {
    if let id = request.cookies[AccessMiddleware.sessionCookie]?.value, let session = await sessions.find(id) {
      return session
    }
    return await sessions.anonymous()
  }

  /// The session cookie: HttpOnly, SameSite=Strict, Secure under TLS, for the whole site.
  func cookie(_ value: String, maxAge: Int? = nil) -> Cookie {
    Cookie(
      name: AccessMiddleware.sessionCookie, value: value, maxAge: maxAge, path: "/", secure: settings.usesTLS,
      httpOnly: true, sameSite: .strict)
  }

  func loginPage(csrf: String, next: String, problem: String?) -> String {
    var html = HTML()
    html.raw(
      "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        + "<title>Sign in · Vigil</title>" + StaticAssets.head + "</head><body>"
        + "<main id=\"main\" class=\"login\"><h1>Vigil</h1>")
    if !credentials.hasUsers {
      html.element(
        "p", [("class", "problem")],
        text: "No users are configured: add one with `vigil user add NAME` and restart Vigil.", limit: 300)
    }
    if let problem { html.element("p", [("class", "problem"), ("role", "alert")], text: problem) }
    html.raw("<form method=\"post\" action=\"/login\">")
    html.csrf(csrf)
    html.open("input", [("type", "hidden"), ("name", "next"), ("value", next)])
    html.raw(
      "<label for=\"name\">Name</label><input id=\"name\" name=\"name\" autocomplete=\"username\" required autofocus>"
        + "<label for=\"password\">Password</label><input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required>"
        + "<button type=\"submit\">Sign in</button></form></main></body></html>")
    return html.markup
  }
}
