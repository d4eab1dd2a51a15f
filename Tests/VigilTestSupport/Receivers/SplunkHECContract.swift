import Foundation
import Synchronization

/// Splunk's HTTP Event Collector: POST `/services/collector/event` with `Authorization: Splunk TOKEN`
/// (401 code 2 without it, 403 code 4 for a wrong one), a body of concatenated JSON event objects,
/// each with a non-empty `event`, a numeric `time`, and one of the 1Password app's sourcetypes. A bad
/// event answers 400 with `invalid-event-number`: the events before it are indexed, the rest are not
/// read. With indexer acknowledgement on, each request names a channel and is answered with an
/// `ackId`; POST `/services/collector/ack` says which ids are indexed (after `ackDelay` polls).
package final class SplunkHECContract: ReceiverContract {
  package static let sourcetypes: Set<String> = [
    "1password:insights:signin_attempts", "1password:insights:item_usages", "1password:insights:audit_events",
  ]

  let token: String
  let acknowledgement: Bool
  let ackDelay: Int
  let maximumBytes: Int
  private struct Acks {
    var next = 0
    var polls: [Int: Int] = [:]
    var answered = 0
  }
  private let acks = Mutex(Acks())

  package init(token: String, acknowledgement: Bool = false, ackDelay: Int = 1, maximumBytes: Int = 1 << 20) {
    self.token = token
    self.acknowledgement = acknowledgement
    self.ackDelay = ackDelay
    self.maximumBytes = maximumBytes
  }

  /// Acknowledgement polls answered so far.
  package var ackPolls: Int { acks.withLock { $0.answered } }

  package func failureBody(status: Int) -> String {
    status == 503 ? #"{"text":"Server is busy","code":9}"# : #"{"text":"Internal Error","code":8}"#
  }

  package func carriesData(_ request: ReceivedRequest) -> Bool { request.path == "/services/collector/event" }

  package func handle(_ request: ReceivedRequest, faults: inout ReceiverFaults) -> ContractAnswer {
    guard let authorization = request.headers["authorization"] else {
      return .violation(401, #"{"text":"Token is required","code":2}"#, problem: "no Authorization")
    }
    guard authorization == "Splunk \(token)" else {
      return ContractAnswer(status: 403, body: #"{"text":"Invalid token","code":4}"#)
    }
    let channel = request.headers["x-splunk-request-channel"] ?? request.parameters["channel"]
    if acknowledgement, channel == nil {
      return .violation(400, #"{"text":"Data channel is missing","code":10}"#, problem: "no channel")
    }
    switch request.path {
    case "/services/collector/event": return events(request, faults: faults)
    case "/services/collector/ack" where acknowledgement: return acknowledge(request)
    default:
      return .violation(
        404, #"{"text":"The requested URL was not found on this server.","code":404}"#,
        problem: "path \(request.path)")
    }
  }

  private func events(_ request: ReceivedRequest, faults: ReceiverFaults) -> ContractAnswer {
    guard request.body.count <= maximumBytes else {
      return .violation(413, #"{"text":"Content too large","code":27}"#, problem: "\(request.body.count) bytes")
    }
    guard let objects = ReceivedJSON.concatenatedObjects(request.body), !objects.isEmpty else {
      return .violation(400, #"{"text":"No data","code":5}"#, problem: "the body is not JSON event objects")
    }
    var answer = ContractAnswer(status: 200, body: #"{"text":"Success","code":0}"#)
    for (number, bytes) in objects.enumerated() {
      let object = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any] ?? [:]
      let text = String(decoding: bytes, as: UTF8.self)
      let sourcetype = object["sourcetype"] as? String ?? ""
      var refusal: (String, Int)?
      if object["event"] == nil { refusal = ("Event field is required", 12) }
      if let event = object["event"] as? String, event.isEmpty { refusal = ("Event field cannot be blank", 13) }
      if let time = object["time"], !(time is NSNumber) { refusal = ("Invalid data format", 6) }
      if faults.reject.contains(where: { text.contains($0) }) { refusal = ("Invalid data format", 6) }
      if let (message, code) = refusal {
        answer.status = 400
        answer.body = #"{"text":"\#(message)","code":\#(code),"invalid-event-number":\#(number)}"#
        return answer
      }
      if !Self.sourcetypes.contains(sourcetype) { answer.problems.append("sourcetype \(sourcetype)") }
      answer.accepted.append(ReceivedDocument(destination: sourcetype, bytes: bytes))
    }
    if acknowledgement {
      let id = acks.withLock { acks in
        defer { acks.next += 1 }
        acks.polls[acks.next] = 0
        return acks.next
      }
      answer.body = #"{"text":"Success","code":0,"ackId":\#(id)}"#
    }
    return answer
  }

  /// `{"acks":[ids]}` answered with `{"acks":{"id":true|false}}`: an id is indexed after `ackDelay` polls.
  private func acknowledge(_ request: ReceivedRequest) -> ContractAnswer {
    guard let object = (try? JSONSerialization.jsonObject(with: Data(request.body))) as? [String: Any],
      let ids = object["acks"] as? [Int]
    else {
      return .violation(400, #"{"text":"Invalid data format","code":6}"#, problem: "an ack body that is not {acks:[…]}")
    }
    let states = acks.withLock { acks in
      acks.answered += 1
      return ids.map { id -> String in
        guard let polls = acks.polls[id] else { return #""\#(id)":false"# }
        acks.polls[id] = polls + 1
        return #""\#(id)":\#(polls + 1 >= ackDelay)"#
      }
    }
    return ContractAnswer(status: 200, body: #"{"acks":{\#(states.joined(separator: ","))}}"#)
  }
}
