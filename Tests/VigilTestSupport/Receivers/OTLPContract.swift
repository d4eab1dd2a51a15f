import Foundation

/// An OpenTelemetry collector's OTLP/HTTP logs receiver, JSON encoding: POST `/v1/logs` with
/// `Content-Type: application/json` and the configured headers, an `ExportLogsServiceRequest`
/// (`resourceLogs[].scopeLogs[].logRecords[]`). Each record needs `timeUnixNano` as a decimal
/// string, a `body`, and attributes as `{key, value: {stringValue|intValue|doubleValue|boolValue}}`.
/// Records with a rejected key are dropped and reported in `partialSuccess`, as collectors do.
package struct OTLPContract: ReceiverContract {
  let headers: [String: String]

  package init(headers: [String: String] = [:]) { self.headers = headers }

  package func failureBody(status: Int) -> String { #"{"code":14,"message":"unavailable"}"# }
  package func carriesData(_ request: ReceivedRequest) -> Bool { true }

  package func handle(_ request: ReceivedRequest, faults: inout ReceiverFaults) -> ContractAnswer {
    guard request.path == "/v1/logs" else {
      return .violation(404, failureBody(status: 404), problem: "path \(request.path)")
    }
    for (name, value) in headers where request.headers[name.lowercased()] != value {
      return ContractAnswer(status: 401, body: #"{"code":16,"message":"unauthenticated"}"#)
    }
    guard request.headers["content-type"] == "application/json" else {
      return .violation(415, #"{"code":3}"#, problem: "content-type \(request.headers["content-type"] ?? "")")
    }
    guard let export = (try? JSONSerialization.jsonObject(with: Data(request.body))) as? [String: Any],
      let resourceLogs = export["resourceLogs"] as? [[String: Any]]
    else {
      return .violation(400, #"{"code":3,"message":"bad request"}"#, problem: "not an ExportLogsServiceRequest")
    }
    var answer = ContractAnswer(status: 200, body: "{}")
    var rejected = 0
    for resource in resourceLogs {
      for scope in resource["scopeLogs"] as? [[String: Any]] ?? [] {
        for record in scope["logRecords"] as? [[String: Any]] ?? [] {
          guard let data = try? JSONSerialization.data(withJSONObject: record, options: [.sortedKeys]) else { continue }
          let text = String(decoding: data, as: UTF8.self)
          if let problem = Self.problem(record) { answer.problems.append(problem) }
          if faults.reject.contains(where: { text.contains($0) }) {
            rejected += 1
          } else {
            answer.accepted.append(ReceivedDocument(destination: "logs", bytes: Array(data)))
          }
        }
      }
    }
    if rejected > 0 {
      answer.body = #"{"partialSuccess":{"rejectedLogRecords":"\#(rejected)","errorMessage":"dropped by a processor"}}"#
    }
    return answer
  }

  /// What is wrong with a log record under the OTLP JSON mapping, if anything.
  static func problem(_ record: [String: Any]) -> String? {
    guard let time = record["timeUnixNano"] as? String, !time.isEmpty, time.allSatisfy(\.isNumber) else {
      return "timeUnixNano is not a decimal string"
    }
    guard record["body"] is [String: Any] else { return "no body" }
    for attribute in record["attributes"] as? [[String: Any]] ?? [] {
      guard attribute["key"] is String, let value = attribute["value"] as? [String: Any], value.count == 1 else {
        return "an attribute that is not {key, value}"
      }
      if let number = value["intValue"], !(number is String) { return "intValue is not a string" }
      let kinds: Set<String> = ["stringValue", "intValue", "doubleValue", "boolValue"]
      if !kinds.contains(value.keys.first ?? "") { return "attribute kind \(value.keys.first ?? "")" }
    }
    return nil
  }
}
