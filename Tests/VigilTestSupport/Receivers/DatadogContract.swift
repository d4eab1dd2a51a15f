import Foundation
import Synchronization
import VigilBase

/// Datadog's Logs intake v2: POST `/api/v2/logs` with `DD-API-KEY` (403 without the right one),
/// `Content-Type: application/json`, a JSON array of at most 1,000 log objects and 5 MB uncompressed
/// (413 beyond), each log at most 1 MB, answered 202. Logs dated more than 18 hours before `now`
/// are taken but not indexed: they are kept apart, in ``dropped``. A log with a rejected key makes
/// the request a 400.
package final class DatadogContract: ReceiverContract {
  let apiKey: String
  let now: Timestamp
  private let old = Mutex([ReceivedDocument]())

  package init(apiKey: String, now: Timestamp) {
    self.apiKey = apiKey
    self.now = now
  }

  /// Logs Datadog took but will not index (older than 18 hours at their own date).
  package var dropped: [ReceivedDocument] { old.withLock { $0 } }

  package func failureBody(status: Int) -> String { #"{"errors":[{"status":"\#(status)"}]}"# }
  package func carriesData(_ request: ReceivedRequest) -> Bool { true }

  package func handle(_ request: ReceivedRequest, faults: inout ReceiverFaults) -> ContractAnswer {
    guard request.path == "/api/v2/logs" else {
      return .violation(404, failureBody(status: 404), problem: "path \(request.path)")
    }
    guard request.headers["dd-api-key"] == apiKey else {
      return ContractAnswer(status: 403, body: #"{"errors":[{"status":"403","title":"Forbidden"}]}"#)
    }
    guard request.headers["content-type"]?.hasPrefix("application/json") == true else {
      return .violation(400, failureBody(status: 400), problem: "content-type \(request.headers["content-type"] ?? "")")
    }
    guard request.body.count <= 5 << 20 else {
      return .violation(413, failureBody(status: 413), problem: "\(request.body.count) bytes uncompressed")
    }
    guard let logs = ReceivedJSON.arrayOfObjects(request.body) else {
      return .violation(400, failureBody(status: 400), problem: "the body is not a JSON array of objects")
    }
    guard logs.count <= 1_000 else {
      return .violation(413, failureBody(status: 413), problem: "\(logs.count) logs in one request")
    }
    if logs.contains(where: { log in faults.reject.contains { String(decoding: log, as: UTF8.self).contains($0) } }) {
      return ContractAnswer(status: 400, body: #"{"errors":[{"status":"400","title":"Bad Request"}]}"#)
    }
    var answer = ContractAnswer(status: 202, body: "{}")
    for log in logs {
      let document = ReceivedDocument(destination: "logs", bytes: log)
      if log.count > 1 << 20 { answer.problems.append("a log of \(log.count) bytes would be truncated") }
      if document.value("ddsource") as? String != "1password" { answer.problems.append("ddsource is not 1password") }
      let date = (document.value("timestamp") as? String).flatMap { Timestamp(rfc3339: $0) }
      if let date, now.epochSeconds - date.epochSeconds > 18 * 3_600 {
        old.withLock { $0.append(document) }
      } else {
        answer.accepted.append(document)
      }
    }
    return answer
  }
}
