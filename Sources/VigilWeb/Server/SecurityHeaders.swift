import HTTPTypes
import Hummingbird

/// Headers on every answer: a CSP without inline script or style, no framing, no sniffing, a strict
/// referrer policy, no caching of pages (assets are cached), and HSTS when served over TLS.
struct SecurityHeadersMiddleware: RouterMiddleware {
  typealias Context = WebContext
  let tls: Bool

  static let policy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

  /// Headers swift-http-types has no constant for.
  static let more = [
    ("X-Frame-Options", "DENY"), ("Referrer-Policy", "same-origin"), ("Cross-Origin-Opener-Policy", "same-origin"),
  ]

  func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response)
    async throws -> Response
  {
    var response: Response
    do {
      response = try await next(request, context)
    } catch let error as HTTPError {
      response = WebResponse.error(error.status, message: error.body ?? error.status.reasonPhrase, request: request)
    }
    response.headers[.contentSecurityPolicy] = Self.policy
    response.headers[.xContentTypeOptions] = "nosniff"
    for (name, value) in Self.more {
      if let field = HTTPField.Name(name) { response.headers[field] = value }
    }
    if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
    if tls { response.headers[.strictTransportSecurity] = "max-age=31536000" }
    return response
  }
}
