import Foundation
import Synchronization

/// Microsoft Entra ID's token endpoint and the Azure Monitor Logs Ingestion API, as Sentinel's
/// 1Password solution uses them.
/// - POST `/TENANT/oauth2/v2.0/token`, form-encoded `grant_type=client_credentials`, the client id
///   and secret, and the scope `https://monitor.azure.com//.default`: a bearer token (401
///   `invalid_client` for a wrong secret).
/// - POST `/dataCollectionRules/DCR/streams/STREAM?api-version=2023-01-01` with a live bearer token
///   (401 otherwise), `Content-Type: application/json`, a JSON array of rows, at most 1 MB: 204. Each
///   row needs `TimeGenerated`. A row with a rejected key makes the request a 400.
package final class SentinelContract: ReceiverContract {
  let tenant: String
  let clientID: String
  let clientSecret: String
  let ruleID: String
  let stream: String
  private struct Tokens {
    var issued = 0
    var live: Set<String> = []
  }
  private let tokens = Mutex(Tokens())

  package init(tenant: String, clientID: String, clientSecret: String, ruleID: String, stream: String) {
    self.tenant = tenant
    self.clientID = clientID
    self.clientSecret = clientSecret
    self.ruleID = ruleID
    self.stream = stream
  }

  /// Tokens handed out so far.
  package var tokensIssued: Int { tokens.withLock { $0.issued } }
  /// Every token handed out so far stops working (as when they expire early or are revoked).
  package func expireTokens() { tokens.withLock { $0.live = [] } }

  package func failureBody(status: Int) -> String { #"{"error":{"code":"ServiceUnavailable","message":"busy"}}"# }
  package func carriesData(_ request: ReceivedRequest) -> Bool { request.path.hasPrefix("/dataCollectionRules/") }

  package func handle(_ request: ReceivedRequest, faults: inout ReceiverFaults) -> ContractAnswer {
    if request.path == "/\(tenant)/oauth2/v2.0/token" { return token(request) }
    guard request.path == "/dataCollectionRules/\(ruleID)/streams/\(stream)" else {
      return .violation(404, #"{"error":{"code":"NotFound"}}"#, problem: "path \(request.path)")
    }
    guard request.parameters["api-version"] == "2023-01-01" else {
      return .violation(400, #"{"error":{"code":"MissingApiVersionParameter"}}"#, problem: "query \(request.query)")
    }
    let bearer = request.headers["authorization"].flatMap { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : nil }
    guard let bearer, tokens.withLock({ $0.live.contains(bearer) }) else {
      return ContractAnswer(status: 401, body: #"{"error":{"code":"InvalidToken","message":"expired"}}"#)
    }
    guard request.headers["content-type"] == "application/json" else {
      return .violation(415, #"{"error":{"code":"UnsupportedMediaType"}}"#, problem: "content-type")
    }
    guard request.body.count <= 1_000_000 else {
      return .violation(
        413, #"{"error":{"code":"ContentLengthLimitExceeded"}}"#, problem: "\(request.body.count) bytes")
    }
    guard let rows = ReceivedJSON.arrayOfObjects(request.body) else {
      return .violation(400, #"{"error":{"code":"InvalidPayload"}}"#, problem: "the body is not a JSON array of rows")
    }
    if rows.contains(where: { row in faults.reject.contains { String(decoding: row, as: UTF8.self).contains($0) } }) {
      return ContractAnswer(status: 400, body: #"{"error":{"code":"InvalidPayload","message":"bad row"}}"#)
    }
    var answer = ContractAnswer(status: 204, body: "")
    for row in rows {
      let document = ReceivedDocument(destination: stream, bytes: row)
      if document.value("TimeGenerated") == nil { answer.problems.append("a row without TimeGenerated") }
      answer.accepted.append(document)
    }
    return answer
  }

  private func token(_ request: ReceivedRequest) -> ContractAnswer {
    guard request.headers["content-type"] == "application/x-www-form-urlencoded" else {
      return .violation(400, #"{"error":"invalid_request"}"#, problem: "token request content-type")
    }
    var form: [String: String] = [:]
    for pair in String(decoding: request.body, as: UTF8.self).split(separator: "&") {
      let parts = pair.split(separator: "=", maxSplits: 1).map {
        String($0).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String($0)
      }
      if parts.count == 2 { form[parts[0]] = parts[1] }
    }
    guard form["grant_type"] == "client_credentials", form["scope"] == "https://monitor.azure.com//.default" else {
      return .violation(400, #"{"error":"invalid_request"}"#, problem: "token request form \(form.keys.sorted())")
    }
    guard form["client_id"] == clientID, form["client_secret"] == clientSecret else {
      return ContractAnswer(status: 401, body: #"{"error":"invalid_client"}"#)
    }
    let token = tokens.withLock { tokens in
      tokens.issued += 1
      let token = "token-\(tokens.issued)"
      tokens.live.insert(token)
      return token
    }
    return ContractAnswer(
      status: 200, body: #"{"token_type":"Bearer","expires_in":3599,"ext_expires_in":3599,"access_token":"\#(token)"}"#)
  }
}
