import CompressNIO
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// One request as a receiver saw it, its body already decompressed.
package struct ReceivedRequest: Sendable {
  package var path: String
  package var query: String
  /// Header names in lower case.
  package var headers: [String: String]
  package var body: [UInt8]
  /// The body's size on the wire (compressed when it was).
  package var wireBytes: Int

  /// The query's parameters (no repeated names in these contracts).
  package var parameters: [String: String] {
    var result: [String: String] = [:]
    for pair in query.split(separator: "&") {
      let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? String($0) }
      result[parts[0]] = parts.count > 1 ? parts[1] : ""
    }
    return result
  }
}

/// One document a receiver accepted (indexed, stored): a JSON object or a line of text.
package struct ReceivedDocument: Sendable {
  /// Where it went: an index, a sourcetype, a stream, a table.
  package var destination: String
  /// Its id at the receiver, when the receiver keys documents.
  package var id: String?
  package var bytes: [UInt8]

  package init(destination: String, id: String? = nil, bytes: [UInt8]) {
    self.destination = destination
    self.id = id
    self.bytes = bytes
  }

  package var text: String { String(decoding: bytes, as: UTF8.self) }

  /// The document as a JSON object (nil when it is not one).
  package var object: [String: Any]? { (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any] }

  /// The document's value at a dotted path (`user.name`).
  package func value(_ path: String) -> Any? {
    var current: Any? = object
    for key in path.split(separator: ".") { current = (current as? [String: Any])?[String(key)] }
    return current
  }
}

/// What a contract makes of one request.
package struct ContractAnswer: Sendable {
  package var status: Int
  package var body: String
  package var headers: [String: String] = [:]
  /// Documents the receiver kept.
  package var accepted: [ReceivedDocument] = []
  /// Contract violations (each would be an error, or silently lost data, at the real receiver).
  package var problems: [String] = []

  package init(status: Int, body: String, headers: [String: String] = [:]) {
    self.status = status
    self.body = body
    self.headers = headers
  }

  /// A refusal because the request broke the contract: recorded as a problem too.
  package static func violation(_ status: Int, _ body: String, problem: String) -> ContractAnswer {
    var answer = ContractAnswer(status: status, body: body)
    answer.problems = [problem]
    return answer
  }
}

/// What a test asks the receiver to do besides following its contract.
package struct ReceiverFaults: Sendable {
  /// Documents whose key (an id, or the document text) contains one of these are refused the way this
  /// receiver refuses one bad document (an item 400, HEC's `invalid-event-number`, OTLP's partial success).
  package var reject: Set<String> = []
  /// Documents whose key contains one of these are throttled once, where the receiver throttles items.
  package var throttleOnce: Set<String> = []
  /// Data requests answered with `status` (with `Retry-After` when set) while `count` lasts.
  package var failing: (count: Int, status: Int, retryAfter: String?) = (0, 503, nil)
}

/// A vendor's documented contract, as a loopback receiver enforces it.
package protocol ReceiverContract: Sendable {
  /// The receiver's answer body for a status it sends when a test makes it fail.
  func failureBody(status: Int) -> String
  /// Whether the request carries data (test-made failures apply to those only, not to a token endpoint).
  func carriesData(_ request: ReceivedRequest) -> Bool
  func handle(_ request: ReceivedRequest, faults: inout ReceiverFaults) -> ContractAnswer
}

/// A loopback receiver: serves one contract, decompresses gzip bodies (checking that the header and
/// the bytes agree), and records every request, every accepted document and every contract violation.
package final class VendorReceiver: Sendable {
  private struct State {
    var requests: [ReceivedRequest] = []
    var documents: [ReceivedDocument] = []
    var problems: [String] = []
    var faults = ReceiverFaults()
    var statuses: [Int] = []
  }

  private let state = Mutex(State())
  package let contract: any ReceiverContract

  package init(_ contract: any ReceiverContract) { self.contract = contract }

  package var requests: [ReceivedRequest] { state.withLock { $0.requests } }
  package var documents: [ReceivedDocument] { state.withLock { $0.documents } }
  package var problems: [String] { state.withLock { $0.problems } }
  /// The status of every answer, in order.
  package var statuses: [Int] { state.withLock { $0.statuses } }

  package func reject(_ keys: Set<String>) { state.withLock { $0.faults.reject = keys } }
  package func throttleOnce(_ keys: Set<String>) { state.withLock { $0.faults.throttleOnce = keys } }
  /// The next `count` data requests get `status`.
  package func fail(next count: Int, status: Int = 503, retryAfter: String? = nil) {
    state.withLock { $0.faults.failing = (count, status, retryAfter) }
  }
  /// Every data request fails with 503 until called again with false.
  package func refuse(_ refusing: Bool) { fail(next: refusing ? .max : 0) }

  func handle(path: String, query: String, headers: [String: String], body: ByteBuffer) -> ContractAnswer {
    var request = ReceivedRequest(
      path: path, query: query, headers: headers, body: Array(buffer: body), wireBytes: body.readableBytes)
    let gzipped = body.readableBytesView.starts(with: [0x1F, 0x8B])
    if headers["content-encoding"] == "gzip" {
      var compressed = body
      guard gzipped, let decoded = try? compressed.decompress(with: .gzip(), maxSize: 64 << 20) else {
        return record(request, .violation(400, contract.failureBody(status: 400), problem: "not gzip as declared"))
      }
      request.body = Array(buffer: decoded)
    } else if gzipped {
      return record(
        request, .violation(400, contract.failureBody(status: 400), problem: "gzip without Content-Encoding"))
    }
    return state.withLock { state in
      state.requests.append(request)
      if contract.carriesData(request), state.faults.failing.count > 0 {
        state.faults.failing.count -= 1
        let failing = state.faults.failing
        state.statuses.append(failing.status)
        return ContractAnswer(
          status: failing.status, body: contract.failureBody(status: failing.status),
          headers: failing.retryAfter.map { ["Retry-After": $0] } ?? [:])
      }
      let answer = contract.handle(request, faults: &state.faults)
      state.documents += answer.accepted
      state.problems += answer.problems
      state.statuses.append(answer.status)
      return answer
    }
  }

  private func record(_ request: ReceivedRequest, _ answer: ContractAnswer) -> ContractAnswer {
    state.withLock { state in
      state.requests.append(request)
      state.problems += answer.problems
      state.statuses.append(answer.status)
    }
    return answer
  }

  /// Runs `body` with a receiver for `contract` listening at the base URL it is given.
  package static func with<T>(_ contract: any ReceiverContract, _ body: (VendorReceiver, String) async throws -> T)
    async throws -> T
  {
    let receiver = VendorReceiver(contract)
    let router = Router()
    router.post("**") { request, _ -> Response in
      let bytes = try await request.body.collect(upTo: 64 << 20)
      var headers: [String: String] = [:]
      for field in request.headers { headers[field.name.canonicalName.lowercased()] = field.value }
      let answer = receiver.handle(
        path: request.uri.path, query: request.uri.query ?? "", headers: headers, body: bytes)
      var fields: HTTPFields = [.contentType: "application/json"]
      for (name, value) in answer.headers {
        if let field = HTTPField.Name(name) { fields[field] = value }
      }
      return Response(
        status: .init(code: answer.status), headers: fields,
        body: answer.status == 204 ? .init() : .init(byteBuffer: ByteBuffer(string: answer.body)))
    }
    return try await withLoopbackServer(router) { port in try await body(receiver, "http://127.0.0.1:\(port)") }
  }
}

/// Reading request bodies the way receivers do.
package enum ReceivedJSON {
  /// A JSON array of objects, each as its own bytes (nil when the body is not one).
  package static func arrayOfObjects(_ body: [UInt8]) -> [[UInt8]]? {
    guard let array = (try? JSONSerialization.jsonObject(with: Data(body))) as? [Any] else { return nil }
    var result: [[UInt8]] = []
    for element in array {
      guard element is [String: Any], let data = try? JSONSerialization.data(withJSONObject: element) else {
        return nil
      }
      result.append(Array(data))
    }
    return result
  }

  /// Concatenated JSON objects, with or without whitespace between them (HEC's batch format): the
  /// bytes of each, or nil when the body is not that.
  package static func concatenatedObjects(_ body: [UInt8]) -> [[UInt8]]? {
    var objects: [[UInt8]] = []
    var depth = 0
    var start = 0
    var inString = false
    var escaped = false
    for (index, byte) in body.enumerated() {
      if inString {
        if escaped {
          escaped = false
        } else if byte == UInt8(ascii: "\\") {
          escaped = true
        } else if byte == UInt8(ascii: "\"") {
          inString = false
        }
        continue
      }
      switch byte {
      case UInt8(ascii: "\""): inString = true
      case UInt8(ascii: "{"):
        if depth == 0 { start = index }
        depth += 1
      case UInt8(ascii: "}"):
        depth -= 1
        guard depth >= 0 else { return nil }
        if depth == 0 { objects.append(Array(body[start...index])) }
      case 0x20, 0x0A, 0x0D, 0x09: break
      default: if depth == 0 { return nil }
      }
    }
    return depth == 0 && !inString ? objects : nil
  }
}

/// Gzip's contents (a rotated sink file, a request body).
package func gunzip(_ bytes: [UInt8]) throws -> [UInt8] {
  var buffer = ByteBuffer(bytes: bytes)
  return Array(buffer: try buffer.decompress(with: .gzip(), maxSize: 256 << 20))
}
