/// A Sumo Logic hosted HTTP source: POST to `/receiver/v1/http/TOKEN` (the URL is the credential; a
/// wrong one answers 401), one message per line, at most 1 MB per request uncompressed. Each line is
/// kept under the `X-Sumo-Category` it came with.
package struct SumoLogicContract: ReceiverContract {
  let token: String

  package init(token: String) { self.token = token }

  package func failureBody(status: Int) -> String { #"{"id":"X","code":"throttled","status":\#(status)}"# }
  package func carriesData(_ request: ReceivedRequest) -> Bool { true }

  package func handle(_ request: ReceivedRequest, faults: inout ReceiverFaults) -> ContractAnswer {
    guard request.path == "/receiver/v1/http/\(token)" else {
      return ContractAnswer(status: 401, body: #"{"code":"collector:invalid"}"#)
    }
    guard request.body.count <= 1 << 20 else {
      return .violation(413, failureBody(status: 413), problem: "\(request.body.count) bytes")
    }
    var answer = ContractAnswer(status: 200, body: "")
    let category = request.headers["x-sumo-category"] ?? ""
    for line in request.body.split(separator: 0x0A) where !line.isEmpty {
      answer.accepted.append(ReceivedDocument(destination: category, bytes: Array(line)))
    }
    if answer.accepted.isEmpty { answer.problems.append("an empty request") }
    return answer
  }
}
