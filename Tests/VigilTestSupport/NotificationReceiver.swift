import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization

/// A loopback HTTP server standing in for a webhook receiver, Slack and PagerDuty: it records every
/// request, and answers 503 to the first `outage` requests of each path (then `status`).
package final class NotificationReceiver: Sendable {
  /// Header names lower-cased.
  package struct Request: Sendable {
    package var path: String
    package var headers: [String: String]
    package var body: [UInt8]
    /// What the receiver answered.
    package var status: Int

    package var json: [String: Any] {
      (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:]
    }
  }

  private let state = Mutex<(requests: [Request], outage: Int, statuses: [String: Int])>(([], 0, [:]))

  package var requests: [Request] { state.withLock { $0.requests } }

  /// Requests to `path` that were answered with a success.
  package func accepted(_ path: String) -> [Request] { requests.filter { $0.path == path && $0.status < 300 } }
  package func refused(_ path: String) -> [Request] { requests.filter { $0.path == path && $0.status >= 300 } }

  package func failFirst(_ count: Int) { state.withLock { $0.outage = count } }
  package func answer(_ status: Int, on path: String) { state.withLock { $0.statuses[path] = status } }

  fileprivate func record(path: String, headers: [String: String], body: [UInt8]) -> Int {
    state.withLock { state in
      let earlier = state.requests.count { $0.path == path }
      let status = earlier < state.outage ? 503 : state.statuses[path] ?? (path == "/pagerduty" ? 202 : 200)
      state.requests.append(Request(path: path, headers: headers, body: body, status: status))
      return status
    }
  }

  /// Runs `body` with a receiver listening at the URL it is given.
  package static func with<T>(_ body: (NotificationReceiver, String) async throws -> T) async throws -> T {
    let receiver = NotificationReceiver()
    let router = Router()
    for path in ["/webhook", "/slack", "/pagerduty"] {
      router.post(RouterPath(path)) { request, _ -> Response in
        let bytes = try await request.body.collect(upTo: 1 << 20)
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName.lowercased()] = field.value }
        let status = receiver.record(path: path, headers: headers, body: Array(buffer: bytes))
        return Response(
          status: .init(code: status), body: .init(byteBuffer: ByteBuffer(string: status < 300 ? "ok" : "unavailable")))
      }
    }
    return try await withLoopbackServer(router) { port in try await body(receiver, "http://127.0.0.1:\(port)") }
  }
}
