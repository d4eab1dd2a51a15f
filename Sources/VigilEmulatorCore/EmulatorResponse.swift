import VigilEventsAPIModel
import VigilJSON

/// What the emulator answers to one request, before the HTTP layer applies transport faults.
package struct EmulatorResponse: Sendable {
  package enum TransportFault: Sendable, Equatable {
    /// Close the connection without an answer.
    case reset
    /// Send the headers and part of the body, then close.
    case truncate
  }

  package var status: Int
  package var headers: [(String, String)]
  package var body: [UInt8]
  /// Wait this long before answering.
  package var delay: Double = 0
  package var transportFault: TransportFault?

  package init(status: Int, headers: [(String, String)] = [], body: [UInt8]) {
    self.status = status
    self.headers = headers
    self.body = body
  }

  package static func json(_ status: Int, _ body: [UInt8], headers: [(String, String)] = []) -> EmulatorResponse {
    EmulatorResponse(status: status, headers: [("Content-Type", "application/json")] + headers, body: body)
  }

  /// An error in 1Password's shapes: the spec's `{"Error":{"Message":…}}` on v1 and introspection,
  /// the 1.4.1 reference's `{"status":…,"message":…}` on v2.
  package static func error(
    _ status: Int, _ message: String, version: APIVersion = .v1, headers: [(String, String)] = []
  )
    -> EmulatorResponse
  {
    var writer = JSONWriter()
    writer.beginObject()
    if version == .v2 {
      writer.field("status", status)
      writer.field("message", message)
    } else {
      writer.key("Error")
      writer.beginObject()
      writer.field("Message", message)
      writer.endObject()
    }
    writer.endObject()
    return .json(status, writer.bytes, headers: headers)
  }

  package static let notFound = EmulatorResponse(
    status: 404, headers: [("Content-Type", "text/plain; charset=utf-8")], body: Array("404 page not found\n".utf8))
}
