import HTTPTypes
import Hummingbird

/// A method the API does not offer on a path it has gets 405 with `Allow`, not 404: the path exists.
struct MethodCheckMiddleware: RouterMiddleware {
  typealias Context = WebContext

  /// Each API path shape (`*` one segment) with its methods, as `docs/openapi.yaml` lists them.
  static let routes: [(pattern: [Substring], methods: [HTTPRequest.Method])] = [
    (["api", "openapi.yaml"], [.get]), (["api", "dashboards"], [.get]), (["api", "dashboards", "*"], [.get]),
    (["api", "search"], [.get]), (["api", "alerts"], [.get]), (["api", "alerts", "*"], [.get]),
    (["api", "alerts", "*", "ack"], [.post]), (["api", "alerts", "*", "close"], [.post]),
    (["api", "alerts", "*", "reopen"], [.post]), (["api", "health"], [.get]),
  ]

  func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response)
    async throws -> Response
  {
    let path = request.uri.path
    guard path.hasPrefix("/api/") else { return try await next(request, context) }
    let segments = path.split(separator: "/", omittingEmptySubsequences: true)
    let matching = Self.routes.filter { route in
      route.pattern.count == segments.count && zip(route.pattern, segments).allSatisfy { $0 == "*" || $0 == $1 }
    }
    // A literal route wins over a pattern (`/api/alerts/x/ack` is not `/api/alerts/*`).
    guard
      let route = matching.min(by: { $0.pattern.filter { $0 == "*" }.count < $1.pattern.filter { $0 == "*" }.count })
    else { return try await next(request, context) }
    guard route.methods.contains(request.method) else {
      var response = WebResponse.json(.methodNotAllowed, ["error": "\(request.method) is not offered on \(path)"])
      response.headers[.allow] = route.methods.map(\.rawValue).joined(separator: ", ")
      return response
    }
    return try await next(request, context)
  }
}
