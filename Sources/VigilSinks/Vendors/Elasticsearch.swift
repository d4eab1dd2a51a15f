import VigilBase
import VigilCore
import VigilEventsAPIModel
import VigilFormats
import VigilJSON

/// Elasticsearch (and OpenSearch) `_bulk` into the data streams Elastic's 1Password integration uses,
/// `logs-1password.<dataset>-<namespace>`, with `op_type: create` as data streams require.
///
/// - `ecs` mode sends Vigil's ECS documents with `pipeline=_none`: the integration's pipeline, when
///   installed, expects the raw event in `message` and would mark ECS documents as pipeline errors.
/// - `integration` mode sends the raw event in `message`, so Elastic's own pipeline, dashboards and
///   rules apply as if its agent had collected it.
///
/// Each document's `_id` is derived from the event's identity: a resend after a lost answer meets 409
/// (already there), which counts as delivered.
package struct ElasticsearchDestination: HTTPDestination {
  package enum Mode: String, Sendable, CaseIterable {
    case ecs, integration
  }

  package enum Auth: Sendable {
    case apiKey(String)
    case basic(user: String, password: String)
    case none
  }

  package var url: String
  package var mode: Mode
  package var namespace: String
  package var auth: Auth
  package var compress: Bool
  package var limits = Batcher.Limits(events: 5_000, bytes: 10 << 20, seconds: 5)

  package init(url: String, mode: Mode, namespace: String = "default", auth: Auth, compress: Bool = true) {
    self.url = url.hasSuffix("/") ? String(url.dropLast()) : url
    self.mode = mode
    self.namespace = namespace
    self.auth = auth
    self.compress = compress
  }

  package func index(_ stream: EventStream) -> String { "logs-\(stream.elasticDataset)-\(namespace)" }

  package var readsRaw: Bool { mode == .integration }

  package func record(_ stored: StoredEvent, now: Timestamp) -> RecordChoice {
    guard mode == .ecs else { return integrationRecord(RawStoredEvent(stored)) }
    let event = stored.event
    var output = action(account: event.account, stream: event.stream, uuid: event.uuid)
    var document = ECSEncoder().document(event)
    document.set("data_stream.namespace", namespace)
    document.set("tags", strings: ["forwarded", "1password-\(event.stream.rawValue)"])
    var writer = JSONWriter(capacity: 1024)
    document.write(into: &writer)
    output += writer.bytes
    output.append(UInt8(ascii: "\n"))
    return .send(output)
  }

  package func rawRecord(_ event: RawStoredEvent, now: Timestamp) -> RecordChoice? {
    mode == .integration ? integrationRecord(event) : nil
  }

  /// Integration mode: the raw event in `message`, for Elastic's own pipeline.
  func integrationRecord(_ event: RawStoredEvent) -> RecordChoice {
    var output = action(account: event.account, stream: event.stream, uuid: event.uuid)
    var writer = JSONWriter(capacity: event.raw.count + 256)
    writer.beginObject()
    writer.field("@timestamp", event.time.rfc3339)
    writer.field("message", String(decoding: event.raw, as: UTF8.self))
    writer.key("data_stream")
    writer.beginObject()
    writer.field("type", "logs")
    writer.field("dataset", event.stream.elasticDataset)
    writer.field("namespace", namespace)
    writer.endObject()
    writer.key("tags")
    writer.beginArray()
    writer.string("forwarded")
    writer.string("1password-\(event.stream.rawValue)")
    writer.endArray()
    writer.endObject()
    output += writer.bytes
    output.append(UInt8(ascii: "\n"))
    return .send(output)
  }

  /// The `create` action line of one event, with its newline.
  func action(account: String, stream: EventStream, uuid: String) -> [UInt8] {
    var action = JSONWriter(capacity: 160)
    action.beginObject()
    action.key("create")
    action.beginObject()
    action.field("_index", index(stream))
    action.field("_id", Self.documentID(account: account, stream: stream, uuid: uuid))
    action.endObject()
    action.endObject()
    return action.bytes + [UInt8(ascii: "\n")]
  }

  /// Stable across resends and accounts: the account, stream and uuid (a 1Password uuid is unique
  /// within its account and stream).
  static func documentID(account: String, stream: EventStream, uuid: String) -> String {
    "\(account):\(stream.rawValue):\(uuid)"
  }

  package func request(_ batch: [SinkRecord], token: String?) -> SinkRequest {
    var headers = [("Content-Type", "application/x-ndjson"), ("Accept", "application/json")]
    switch auth {
    case .apiKey(let key): headers.append(("Authorization", "ApiKey \(key)"))
    case .basic(let user, let password):
      headers.append(("Authorization", HTTPAuthorization.basic(user: user, password: password)))
    case .none: break
    }
    var body: [UInt8] = []
    body.reserveCapacity(batch.reduce(0) { $0 + $1.bytes.count })
    for record in batch { body += record.bytes }
    let path = mode == .ecs ? "/_bulk?pipeline=_none" : "/_bulk"
    return SinkRequest(url: url + path, headers: headers, body: body, compress: compress)
  }

  /// A 200 answer lists one item per action in order: 2xx (and 409, already indexed) arrived; 429
  /// and 5xx items are retried; other item errors are the document's fault and are quarantined.
  package func verdict(_ exchange: HTTPExchange, batch: [SinkRecord]) -> DeliveryVerdict {
    guard exchange.status == 200 else { return statusVerdict(exchange, count: batch.count) }
    guard let document = try? JSONDocument(bytes: exchange.body), document.root.kind == .object else {
      return .retryAll(batch.count, reason: "the bulk answer is not JSON")
    }
    var errors = true
    var items: JSONValue?
    for (key, value) in document.root.members {
      if key == "errors" { errors = value.bool ?? true }
      if key == "items" { items = value }
    }
    if !errors { return .delivered }
    guard let items, items.count == batch.count else {
      return .retryAll(batch.count, reason: "the bulk answer lists \(items?.count ?? 0) items for \(batch.count)")
    }
    var verdict = DeliveryVerdict()
    for (index, item) in items.elements.enumerated() {
      guard let (_, result) = item.members.first(where: { _ in true }) else { continue }
      var status = 0
      var reason = ""
      for (key, value) in result.members {
        if key == "status" { status = value.int ?? 0 }
        if key == "error" { reason = Self.reason(value) }
      }
      switch status {
      case 200..<300, 409: continue
      case 429, 500..<600:
        verdict.retry.append(index)
        verdict.reason = "item HTTP \(status)\(reason.isEmpty ? "" : ": \(reason)")"
      default:
        verdict.rejected[index] = "HTTP \(status)\(reason.isEmpty ? "" : ": \(reason)")"
      }
    }
    return verdict
  }

  private static func reason(_ error: JSONValue) -> String {
    if let text = error.string { return String(text.prefix(300)) }
    var type = ""
    var reason = ""
    for (key, value) in error.members {
      if key == "type" { type = value.string ?? "" }
      if key == "reason" { reason = value.string ?? "" }
    }
    return String((type.isEmpty ? reason : "\(type): \(reason)").prefix(300))
  }
}
