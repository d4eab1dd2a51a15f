import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import VigilEmulatorCore
import VigilEventsAPIModel

/// The emulator over HTTP: the Events API's endpoints, a loopback-only admin API, and the transport
/// faults (slow answers, resets, truncated bodies) the engine asks for.
package enum EmulatorServer {
  /// Largest request body accepted (requests are tiny JSON objects).
  static let maximumRequestBytes = 64 * 1024

  package static func makeApplication(
    engine: EmulatorEngine, host: String, port: Int, logger: Logger,
    onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
  ) -> some ApplicationProtocol {
    let router = Router(context: EmulatorContext.self)
    router.add(middleware: PlainNotFoundMiddleware())
    for version in APIVersion.allCases {
      for stream in EventStream.allCases {
        router.post(RouterPath(version.path(for: stream))) { request, _ -> Response in
          var request = request
          let body = try await request.collectBody(upTo: maximumRequestBytes)
          let response = engine.events(
            version: version, stream: stream, authorization: request.headers[.authorization],
            body: Array(buffer: body))
          return try await render(response)
        }
      }
    }
    router.get(RouterPath(IntrospectionPath.v2)) { request, _ in
      try await render(engine.introspect(deprecated: false, authorization: request.headers[.authorization]))
    }
    router.get(RouterPath(IntrospectionPath.v1)) { request, _ in
      try await render(engine.introspect(deprecated: true, authorization: request.headers[.authorization]))
    }
    AdminRoutes.add(to: router, engine: engine)
    return Application(
      router: router,
      configuration: .init(address: .hostname(host, port: port), serverName: "Vigil-Emulator"),
      onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? port) },
      logger: logger)
  }

  static func render(_ response: EmulatorResponse) async throws -> Response {
    if response.delay > 0 { try await Task.sleep(for: .milliseconds(Int64(response.delay * 1000))) }
    var headers = HTTPFields()
    for (name, value) in response.headers {
      if let field = HTTPField.Name(name) { headers[field] = value }
    }
    let status = HTTPResponse.Status(code: response.status)
    let bytes = response.body
    switch response.transportFault {
    case .reset:
      return Response(
        status: status, headers: headers,
        body: ResponseBody(contentLength: bytes.count) { _ in
          throw TransportFaultInjected()
        })
    case .truncate:
      return Response(
        status: status, headers: headers,
        body: ResponseBody(contentLength: bytes.count) { writer in
          try await writer.write(ByteBuffer(bytes: bytes.prefix(bytes.count / 2)))
          throw TransportFaultInjected()
        })
    case nil:
      return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
  }
}

/// Thrown from a response body to make the server drop the connection mid-response.
struct TransportFaultInjected: Error {}

/// Unknown paths get the plain-text `404 page not found` the real API's front end sends.
struct PlainNotFoundMiddleware<Context: RequestContext>: RouterMiddleware {
  func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
    -> Response
  {
    do {
      return try await next(request, context)
    } catch let error as HTTPError where error.status == .notFound || error.status == .methodNotAllowed {
      return Response(
        status: .notFound, headers: [.contentType: "text/plain; charset=utf-8"],
        body: ResponseBody(byteBuffer: ByteBuffer(string: "404 page not found\n")))
    }
  }
}
