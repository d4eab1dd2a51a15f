import Hummingbird
import Logging
import NIOCore
import VigilBase
import VigilCore
import VigilDashboards
import VigilQuery

/// What the web app reads and changes: every store role plus search.
package typealias WebStore = EventStore & SearchStore

/// The web app's parts, shared by its routes: the store, the dashboards, sessions, throttling.
package struct WebApp: Sendable {
  let settings: WebSettings
  let store: any WebStore
  let library: DashboardLibrary
  let clock: any VigilClock
  let logger: Logger
  let sessions: SessionStore
  let throttle: LoginThrottle
  let credentials: Credentials
  let layout: Layout
  /// The Prometheus text of every metric, for `/metrics` (nil: not served).
  let metrics: (@Sendable () -> [UInt8])?
  /// The configured accounts' token claims, for the health page.
  let tokens: [AccountToken]
  /// Dashboard panels' recent results (`web.panel_cache`).
  let panelCache: PanelCache
  /// The configured sinks' names, for the health page.
  let sinks: [String]

  package init(
    settings: WebSettings, store: any WebStore, library: DashboardLibrary, clock: any VigilClock, logger: Logger,
    metrics: (@Sendable () -> [UInt8])? = nil, tokens: [AccountToken] = [], sinks: [String] = []
  ) {
    self.metrics = metrics
    self.sinks = sinks
    self.tokens = tokens
    self.settings = settings
    self.store = store
    self.library = library
    self.clock = clock
    self.logger = logger
    sessions = SessionStore(clock: clock, idle: settings.idleTimeout, absolute: settings.absoluteTimeout)
    throttle = LoginThrottle(clock: clock, maximum: settings.maximumFailures, window: settings.lockoutWindow)
    credentials = Credentials(settings)
    layout = Layout(dashboards: library.dashboards.map { ($0.id, $0.title) })
    panelCache = PanelCache(lifetime: settings.panelCacheLifetime)
  }

  var now: Int64 { FieldValue.nanoseconds(clock.now) }

  /// Every route, behind the security headers and the access check.
  package func router() -> Router<WebContext> {
    let router = Router(context: WebContext.self)
    router.add(middleware: SecurityHeadersMiddleware(tls: settings.usesTLS))
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: AccessMiddleware(sessions: sessions, credentials: credentials))
    router.add(middleware: MethodCheckMiddleware())
    router.get("/healthz") { _, _ in Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(string: "ok\n"))) }
    router.get("/readyz") { _, _ in await readiness() }
    if let metrics {
      router.get("/metrics") { _, _ in Self.metricsResponse(metrics) }
    }
    StaticAssets.add(to: router)
    addLogin(to: router)
    addDashboards(to: router)
    addSearch(to: router)
    addAlerts(to: router)
    addHealth(to: router)
    APIRoutes(app: self).add(to: router)
    return router
  }

  static func metricsResponse(_ metrics: @Sendable () -> [UInt8]) -> Response {
    Response(
      status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
      body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics())))
  }

  /// `/metrics` alone, without login, for a separate address (`web.metrics.listen`) that only the
  /// monitoring network reaches.
  package static func metricsRouter(_ metrics: @escaping @Sendable () -> [UInt8]) -> Router<WebContext> {
    let router = Router(context: WebContext.self)
    router.get("/metrics") { _, _ in metricsResponse(metrics) }
    return router
  }

  /// Ready when the store answers.
  func readiness() async -> Response {
    do {
      _ = try await store.newestSequence()
      return Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(string: "ready\n")))
    } catch {
      return Response(status: .serviceUnavailable, body: ResponseBody(byteBuffer: ByteBuffer(string: "not ready\n")))
    }
  }

  /// The query parameters of a request, decoded and bounded.
  static func parameters(_ request: Request) -> [String: String] {
    URLQuery.decode(request.uri.query ?? "")
  }

  /// A form body, after checking its CSRF token against the session's.
  func form(_ request: Request, context: WebContext) async throws -> [String: String] {
    var request = request
    let body = try await request.collectBody(upTo: context.maxUploadSize)
    let fields = URLQuery.decode(String(buffer: body))
    guard let expected = context.identity?.csrf, let sent = fields["_csrf"], SecureToken.equal(sent, expected) else {
      throw HTTPError(
        .forbidden, message: "This form has expired or did not come from Vigil; reload the page and try again.")
    }
    return fields
  }

  func page(_ title: String, current: String, context: WebContext, content: String) -> Response {
    WebResponse.html(layout.page(title: title, current: current, identity: context.identity, content: content))
  }
}
