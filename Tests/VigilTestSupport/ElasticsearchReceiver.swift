import Foundation
import Hummingbird
import Synchronization

/// A loopback stand-in for Elasticsearch's `_bulk` API that enforces its contract for data streams:
/// POST `/_bulk`, `Content-Type: application/x-ndjson`, the configured `Authorization`, action and
/// document lines in pairs, `create` actions only (data streams refuse `index`), an `_index` under
/// `logs-1password.`, and the documents' `data_stream` matching the index. Documents are kept by `_id`
/// (a second create of one answers 409, as Elasticsearch does). It can refuse whole requests (503), and
/// answer chosen documents with an item 429 (once) or 400.
package final class ElasticsearchReceiver: Sendable {
  package struct Document: Sendable {
    package var index: String
    package var id: String
    /// The document as sent.
    package var line: [UInt8]

    /// The document's value at a dotted path (`user.name`).
    package func value(_ path: String) -> Any? {
      var current: Any? = try? JSONSerialization.jsonObject(with: Data(line))
      for key in path.split(separator: ".") { current = (current as? [String: Any])?[String(key)] }
      return current
    }
  }

  private struct State {
    var documents: [Document] = []
    var ids: Set<String> = []
    var requests = 0
    var refusing = false
    var throttleOnce: Set<String> = []
    var reject: Set<String> = []
    var queries: [String] = []
    var problems: [String] = []
  }

  private let state = Mutex(State())
  let authorization: String

  init(authorization: String) { self.authorization = authorization }

  package var documents: [Document] { state.withLock { $0.documents } }
  package var requests: Int { state.withLock { $0.requests } }
  package var queries: [String] { state.withLock { $0.queries } }
  /// Contract violations seen (each would be an error from a real cluster).
  package var problems: [String] { state.withLock { $0.problems } }

  package func refuse(_ refusing: Bool) { state.withLock { $0.refusing = refusing } }
  /// Documents whose `_id` ends with one of these get an item 429 the first time.
  package func throttleOnce(_ suffixes: Set<String>) { state.withLock { $0.throttleOnce = suffixes } }
  /// Documents whose `_id` ends with one of these get an item 400 (a mapping error).
  package func reject(_ suffixes: Set<String>) { state.withLock { $0.reject = suffixes } }

  func handle(query: String, headers: [String: String], body: [UInt8]) -> (Int, String) {
    state.withLock { state in
      state.requests += 1
      state.queries.append(query)
      if state.refusing { return (503, #"{"error":"unavailable"}"#) }
      guard headers["authorization"] == authorization else { return (401, #"{"error":"security_exception"}"#) }
      guard headers["content-type"] == "application/x-ndjson" else {
        state.problems.append("content-type \(headers["content-type"] ?? "none")")
        return (406, #"{"error":"Content-Type header is not supported"}"#)
      }
      let lines = body.split(separator: 0x0A).map { Data($0) }
      guard lines.count % 2 == 0, body.last == 0x0A else {
        state.problems.append("the body is not action/document pairs ending in a newline")
        return (400, #"{"error":"The bulk request must be terminated by a newline"}"#)
      }
      var items: [String] = []
      var errors = false
      for pair in stride(from: 0, to: lines.count, by: 2) {
        guard let action = (try? JSONSerialization.jsonObject(with: lines[pair])) as? [String: Any],
          let create = action["create"] as? [String: Any], let index = create["_index"] as? String,
          let id = create["_id"] as? String,
          let document = (try? JSONSerialization.jsonObject(with: lines[pair + 1])) as? [String: Any]
        else {
          state.problems.append("an action other than create, or a document that is not JSON")
          return (400, #"{"error":"illegal_argument_exception"}"#)
        }
        let stream = document["data_stream"] as? [String: Any]
        let expected = "logs-\(stream?["dataset"] as? String ?? "?")-\(stream?["namespace"] as? String ?? "?")"
        if !index.hasPrefix("logs-1password.") || expected != index {
          state.problems.append("document data_stream \(expected) written to \(index)")
        }
        let status: Int
        if let suffix = state.throttleOnce.first(where: { id.hasSuffix($0) }) {
          state.throttleOnce.remove(suffix)
          status = 429
        } else if state.reject.contains(where: { id.hasSuffix($0) }) {
          status = 400
        } else if state.ids.contains(id) {
          status = 409
        } else {
          status = 201
          state.ids.insert(id)
          state.documents.append(
            Document(index: index, id: id, line: Array(lines[pair + 1])))
        }
        errors = errors || status >= 300
        let error =
          status == 400
          ? #","error":{"type":"document_parsing_exception","reason":"failed to parse field [user.name]"}"# : ""
        items.append(#"{"create":{"_index":"\#(index)","_id":"\#(id)","status":\#(status)\#(error)}}"#)
      }
      return (200, #"{"took":1,"errors":\#(errors),"items":[\#(items.joined(separator: ","))]}"#)
    }
  }

  /// Runs `body` with a receiver listening at the base URL it is given.
  package static func with<T>(authorization: String, _ body: (ElasticsearchReceiver, String) async throws -> T)
    async throws -> T
  {
    let receiver = ElasticsearchReceiver(authorization: authorization)
    let router = Router()
    router.post("/_bulk") { request, _ -> Response in
      let bytes = try await request.body.collect(upTo: 64 << 20)
      var headers: [String: String] = [:]
      for field in request.headers { headers[field.name.canonicalName.lowercased()] = field.value }
      let (status, answer) = receiver.handle(
        query: request.uri.query ?? "", headers: headers, body: Array(buffer: bytes))
      return Response(
        status: .init(code: status), headers: [.contentType: "application/json"],
        body: .init(byteBuffer: ByteBuffer(string: answer)))
    }
    return try await withLoopbackServer(router) { port in try await body(receiver, "http://127.0.0.1:\(port)") }
  }
}
