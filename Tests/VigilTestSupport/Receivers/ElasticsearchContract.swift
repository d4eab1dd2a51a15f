import Foundation
import Synchronization

/// Elasticsearch's `_bulk` API for data streams: POST `/_bulk`, `Content-Type: application/x-ndjson`,
/// the configured `Authorization`, action and document lines in pairs ending in a newline, `create`
/// actions only (data streams refuse `index`), an `_index` under `logs-1password.` (or Vigil's alerts
/// stream, `logs-vigil.alerts-`), and each
/// document's `data_stream` agreeing with its index. Documents are kept by `_id`: a second create of
/// one answers an item 409, as Elasticsearch does. Rejected keys (matched against `_id`) get an item
/// 400; throttled ones an item 429, once.
package final class ElasticsearchContract: ReceiverContract {
  let authorization: String
  private let ids = Mutex(Set<String>())

  package init(authorization: String) { self.authorization = authorization }

  package func failureBody(status: Int) -> String { #"{"error":{"type":"unavailable"},"status":\#(status)}"# }
  package func carriesData(_ request: ReceivedRequest) -> Bool { true }

  package func handle(_ request: ReceivedRequest, faults: inout ReceiverFaults) -> ContractAnswer {
    guard request.path == "/_bulk" else {
      return .violation(404, failureBody(status: 404), problem: "path \(request.path)")
    }
    guard request.headers["authorization"] == authorization else {
      return ContractAnswer(status: 401, body: #"{"error":{"type":"security_exception"},"status":401}"#)
    }
    guard request.headers["content-type"] == "application/x-ndjson" else {
      return .violation(
        406, #"{"error":"Content-Type header is not supported"}"#,
        problem: "content-type \(request.headers["content-type"] ?? "none")")
    }
    let body = request.body
    let lines = body.split(separator: 0x0A).map { Data($0) }
    guard lines.count % 2 == 0, body.last == 0x0A else {
      return .violation(
        400, #"{"error":"The bulk request must be terminated by a newline"}"#,
        problem: "the body is not action/document pairs ending in a newline")
    }
    var answer = ContractAnswer(status: 200, body: "")
    var items: [String] = []
    var errors = false
    for pair in stride(from: 0, to: lines.count, by: 2) {
      guard let action = (try? JSONSerialization.jsonObject(with: lines[pair])) as? [String: Any],
        let create = action["create"] as? [String: Any], let index = create["_index"] as? String,
        let id = create["_id"] as? String,
        let document = (try? JSONSerialization.jsonObject(with: lines[pair + 1])) as? [String: Any]
      else {
        return .violation(
          400, #"{"error":"illegal_argument_exception"}"#,
          problem: "an action other than create, or a document that is not JSON")
      }
      let stream = document["data_stream"] as? [String: Any]
      let expected = "logs-\(stream?["dataset"] as? String ?? "?")-\(stream?["namespace"] as? String ?? "?")"
      if !(index.hasPrefix("logs-1password.") || index.hasPrefix("logs-vigil.alerts-")) || expected != index {
        answer.problems.append("document data_stream \(expected) written to \(index)")
      }
      let status: Int
      if let key = faults.throttleOnce.first(where: { id.contains($0) }) {
        faults.throttleOnce.remove(key)
        status = 429
      } else if faults.reject.contains(where: { id.contains($0) }) {
        status = 400
      } else if !ids.withLock({ $0.insert(id).inserted }) {
        status = 409
      } else {
        status = 201
        answer.accepted.append(ReceivedDocument(destination: index, id: id, bytes: Array(lines[pair + 1])))
      }
      errors = errors || status >= 300
      let error =
        status == 400
        ? #","error":{"type":"document_parsing_exception","reason":"failed to parse field [user.name]"}"# : ""
      items.append(#"{"create":{"_index":"\#(index)","_id":"\#(id)","status":\#(status)\#(error)}}"#)
    }
    answer.body = #"{"took":1,"errors":\#(errors),"items":[\#(items.joined(separator: ","))]}"#
    return answer
  }
}
