import HTTPTypes
import Hummingbird
import NIOCore
import VigilBase
import VigilEmulatorCore
import VigilEventsAPIModel
import VigilJSON

/// The emulator's admin API: tokens, ground truth, scenarios, clock, cursors, faults and counters.
/// Answers only on loopback, whatever address the server listens on.
enum AdminRoutes {
  static let maximumAdvance: Double = 366 * 86_400
  static let maximumTokenLifetime: Double = 10 * 366 * 86_400

  static func add(to router: Router<EmulatorContext>, engine: EmulatorEngine) {
    let admin = router.group("admin").add(middleware: LoopbackOnlyMiddleware())
    admin.post("tokens") { request, _ -> Response in
      let body = try await jsonBody(request)
      let features = body?["features"].map { Array($0.elements.compactMap(\.string)) }
      if let expiresIn = body?["expires_in"]?.double, !(expiresIn > 0 && expiresIn <= maximumTokenLifetime) {
        return problem(.badRequest, "expires_in must be between 1 and \(Int(maximumTokenLifetime)) seconds (10 years)")
      }
      do throws(EmulatorEngine.AdminError) {
        let issued = try engine.issueToken(
          account: body?["account"]?.string, features: features, expiresIn: body?["expires_in"]?.double)
        return json { writer in
          writer.field("token", issued.token)
          writer.field("token_id", issued.tokenID)
          writer.field("account_uuid", issued.accountUUID)
        }
      } catch {
        return problem(.badRequest, error.description)
      }
    }
    admin.post("tokens/revoke") { request, _ -> Response in
      let body = try await jsonBody(request)
      guard let key = body?["token_id"]?.string ?? body?["token"]?.string, engine.revoke(key) else {
        return problem(.badRequest, "give token_id or token")
      }
      return json { $0.field("revoked", true) }
    }
    admin.get("accounts") { _, _ -> Response in
      json { writer in
        writer.key("accounts")
        writer.beginArray()
        for account in engine.accounts {
          writer.beginObject()
          writer.field("uuid", account.uuid)
          writer.field("name", account.name)
          writer.field("users", account.users)
          writer.endObject()
        }
        writer.endArray()
      }
    }
    admin.get("ground-truth") { request, _ -> Response in
      guard let stream = request.uri.queryParameters.get("stream").flatMap(EventStream.init(rawValue:)) else {
        return problem(.badRequest, "give stream=signinattempts|itemusages|auditevents")
      }
      let uuids = engine.groundTruth(account: request.uri.queryParameters.get("account"), stream: stream)
      return json { writer in
        writer.field("count", uuids.count)
        writer.key("uuids")
        writer.beginArray()
        for uuid in uuids { writer.string(uuid) }
        writer.endArray()
      }
    }
    admin.get("scenarios") { _, _ -> Response in
      json { writer in
        writer.key("scenarios")
        writer.beginArray()
        for scenario in engine.scenarios {
          writer.beginObject()
          writer.field("name", scenario.name.rawValue)
          writer.field("account_uuid", scenario.accountUUID)
          writer.field("start", scenario.start.rfc3339)
          writer.field("subject", scenario.subject)
          writer.field("source_ip", scenario.sourceIP)
          writer.key("events")
          writer.beginArray()
          for event in scenario.events {
            writer.beginObject()
            writer.field("stream", event.stream.rawValue)
            writer.field("uuid", event.uuid)
            writer.field("timestamp", event.timestamp.rfc3339)
            writer.endObject()
          }
          writer.endArray()
          writer.endObject()
        }
        writer.endArray()
      }
    }
    admin.post("clock/advance") { request, _ -> Response in
      // Bounded: a huge advance would generate centuries of events under the engine's lock.
      guard let seconds = try await jsonBody(request)?["seconds"]?.double, seconds >= 0, seconds <= maximumAdvance
      else {
        return problem(.badRequest, "give {\"seconds\": N} with 0 ≤ N ≤ \(Int(maximumAdvance)) (366 days)")
      }
      engine.advanceClock(seconds: seconds)
      return json { $0.field("now", engine.now.rfc3339) }
    }
    admin.post("cursors/invalidate") { _, _ -> Response in
      engine.invalidateCursors()
      return json { $0.field("invalidated", true) }
    }
    admin.put("faults") { request, _ -> Response in
      let spec = try await jsonBody(request)?["spec"]?.string ?? ""
      do throws(FaultSpecError) {
        engine.setFaults(spec.isEmpty ? FaultPlan() : try FaultPlan(spec: spec))
        return json { $0.field("faults", spec) }
      } catch {
        return problem(.badRequest, error.description)
      }
    }
    admin.get("stats") { _, _ -> Response in
      let stats = engine.stats
      return json { writer in
        writer.field("requests", stats.requests)
        writer.field("accepted", stats.accepted)
        writer.field("rate_limited", stats.rateLimited)
        writer.field("unauthorized", stats.unauthorized)
        writer.field("bad_requests", stats.badRequests)
        writer.field("items_served", stats.itemsServed)
        writer.key("faults")
        writer.beginObject()
        for (kind, count) in stats.faults.sorted(by: { $0.key < $1.key }) { writer.field(kind, count) }
        writer.endObject()
      }
    }
  }

  static func jsonBody(_ request: Request) async throws -> JSONValue? {
    var request = request
    let buffer = try await request.collectBody(upTo: 64 * 1024)
    guard buffer.readableBytes > 0 else { return nil }
    guard let document = try? JSONDocument(bytes: Array(buffer: buffer)), document.root.kind == .object else {
      throw HTTPError(.badRequest, message: "the body must be a JSON object")
    }
    return document.root
  }

  static func json(_ build: (inout JSONWriter) -> Void) -> Response {
    var writer = JSONWriter()
    writer.beginObject()
    build(&writer)
    writer.endObject()
    return Response(
      status: .ok, headers: [.contentType: "application/json"],
      body: ResponseBody(byteBuffer: ByteBuffer(bytes: writer.bytes)))
  }

  static func problem(_ status: HTTPResponse.Status, _ message: String) -> Response {
    var response = json { $0.field("error", message) }
    response.status = status
    return response
  }
}

struct LoopbackOnlyMiddleware: RouterMiddleware {
  func handle(_ request: Request, context: EmulatorContext, next: (Request, EmulatorContext) async throws -> Response)
    async throws -> Response
  {
    guard context.isLoopback else { throw HTTPError(.forbidden, message: "the admin API answers on loopback only") }
    // A web page can make a browser send a simple POST to loopback (CSRF), and a rebound DNS name can
    // point at it: changes need a JSON content type (not sendable cross-origin without a preflight)
    // and a loopback Host.
    let host = request.head.authority.map { URLPolicy.parts("http://" + $0)?.host ?? "" } ?? ""
    guard URLPolicy.isLoopback(host: host) else {
      throw HTTPError(.forbidden, message: "the admin API answers only to a loopback Host")
    }
    if request.method != .get {
      let type = request.headers[.contentType]?.lowercased() ?? ""
      guard type.hasPrefix("application/json") else {
        throw HTTPError(.unsupportedMediaType, message: "admin changes need Content-Type: application/json")
      }
    }
    return try await next(request, context)
  }
}
