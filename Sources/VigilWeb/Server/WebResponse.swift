import HTTPTypes
import Hummingbird
import NIOCore
import VigilCharts
import VigilJSON

/// Building answers: HTML pages, JSON, redirects and errors.
enum WebResponse {
  static func html(_ page: String, status: HTTPResponse.Status = .ok) -> Response {
    Response(
      status: status, headers: [.contentType: "text/html; charset=utf-8"],
      body: ResponseBody(byteBuffer: ByteBuffer(string: page)))
  }

  static func json(_ status: HTTPResponse.Status, _ bytes: [UInt8]) -> Response {
    Response(
      status: status, headers: [.contentType: "application/json"],
      body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
  }

  static func json(_ status: HTTPResponse.Status, _ fields: [String: String]) -> Response {
    var writer = JSONWriter()
    writer.beginObject()
    for (key, value) in fields.sorted(by: { $0.key < $1.key }) {
      writer.key(key)
      writer.string(value)
    }
    writer.endObject()
    return json(status, writer.bytes)
  }

  /// A 303 to a path of this app (never elsewhere: `next` parameters are checked by ``safeNext(_:)``).
  static func redirect(to location: String) -> Response {
    Response(status: .seeOther, headers: [.location: location])
  }

  /// Where to go after sign-in: a path on this server, or the overview.
  static func safeNext(_ next: String?) -> String {
    guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.hasPrefix("/\\"), next.utf8.count <= 2048,
      !next.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F })
    else { return "/" }
    return next
  }

  static func error(_ status: HTTPResponse.Status, message: String, request: Request) -> Response {
    if request.uri.path.hasPrefix("/api/") { return json(status, ["error": message]) }
    let body =
      "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>\(status.code) · Vigil</title>"
      + StaticAssets.head
      + "</head><body><main class=\"error\"><h1>\(status.code) \(Markup.escape(status.reasonPhrase))</h1>"
      + "<p>\(Markup.value(message, limit: 500))</p><p><a href=\"/\">Back to the overview</a></p></main></body></html>"
    return html(body, status: status)
  }
}
