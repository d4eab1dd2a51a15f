import Foundation
import VigilBase
import VigilCore
import VigilEventsAPIModel
import VigilJSON

/// Microsoft Sentinel through the Azure Monitor Logs Ingestion API:
/// `POST {endpoint}/dataCollectionRules/{dcr}/streams/{stream}?api-version=2023-01-01` with a JSON
/// array of at most 1 MB, a bearer token from the client-credentials flow, 204 on success. Each row
/// is the event's own keys plus `TimeGenerated` (the event time) and `log_source`, the shape of the
/// 1Password solution's `OnePasswordEventLogs_CL` table.
package struct SentinelDestination: HTTPDestination {
  package static let apiVersion = "2023-01-01"
  package static let maximumBytes = 1_000_000

  package var endpoint: String
  package var ruleID: String
  package var stream: String
  package var limits = Batcher.Limits(events: 10_000, bytes: 1_000_000 - 2, seconds: 5)

  package init(endpoint: String, ruleID: String, stream: String = "Custom-OnePasswordEventLogs_CL") {
    self.endpoint = endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint
    self.ruleID = ruleID
    self.stream = stream
  }

  /// The 1Password solution's names for the streams.
  package static func logSource(_ stream: EventStream) -> String {
    switch stream {
    case .signInAttempts: "signinattempts"
    case .itemUsages: "itemusages"
    case .auditEvents: "auditevents"
    }
  }

  package var readsRaw: Bool { true }

  package func record(_ stored: StoredEvent, now: Timestamp) -> RecordChoice { record(raw: RawStoredEvent(stored)) }

  package func rawRecord(_ event: RawStoredEvent, now: Timestamp) -> RecordChoice? { record(raw: event) }

  func record(raw event: RawStoredEvent) -> RecordChoice {
    var writer = JSONWriter(capacity: event.raw.count + 100)
    writer.beginObject()
    writer.field("TimeGenerated", event.time.rfc3339)
    writer.field("log_source", Self.logSource(event.stream))
    RawMembers.write(event.raw, into: &writer, skipping: ["TimeGenerated", "log_source"])
    writer.endObject()
    guard writer.bytes.count < Self.maximumBytes else {
      return .reject("the row is \(writer.bytes.count) bytes; a Logs Ingestion call takes at most 1 MB")
    }
    return .send(writer.bytes)
  }

  package func request(_ batch: [SinkRecord], token: String?) -> SinkRequest {
    var body: [UInt8] = [UInt8(ascii: "[")]
    for (index, record) in batch.enumerated() {
      if index > 0 { body.append(UInt8(ascii: ",")) }
      body += record.bytes
    }
    body.append(UInt8(ascii: "]"))
    let url =
      "\(endpoint)/dataCollectionRules/\(Self.pathComponent(ruleID))/streams/\(Self.pathComponent(stream))"
      + "?api-version=\(Self.apiVersion)"
    return SinkRequest(
      url: url, headers: [("Authorization", "Bearer \(token ?? "")"), ("Content-Type", "application/json")],
      body: body, compress: true)
  }

  package func verdict(_ exchange: HTTPExchange, batch: [SinkRecord]) -> DeliveryVerdict {
    statusVerdict(exchange, count: batch.count)
  }

  static func pathComponent(_ text: String) -> String {
    text.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(CharacterSet(charactersIn: "/?#")))
      ?? text
  }
}

/// Microsoft Entra ID's client-credentials flow for the Logs Ingestion API: the request, and reading
/// the token and its lifetime from the answer.
package struct EntraTokenRequest: Sendable {
  package static let scope = "https://monitor.azure.com//.default"

  package var authority: String
  package var tenant: String
  package var clientID: String
  package var clientSecret: String

  package init(
    tenant: String, clientID: String, clientSecret: String, authority: String = "https://login.microsoftonline.com"
  ) {
    self.authority = authority.hasSuffix("/") ? String(authority.dropLast()) : authority
    self.tenant = tenant
    self.clientID = clientID
    self.clientSecret = clientSecret
  }

  package var url: String { "\(authority)/\(SentinelDestination.pathComponent(tenant))/oauth2/v2.0/token" }

  package var body: [UInt8] {
    let pairs = [
      ("client_id", clientID), ("client_secret", clientSecret), ("scope", Self.scope),
      ("grant_type", "client_credentials"),
    ]
    return Array(pairs.map { "\($0)=\(Self.formEncoded($1))" }.joined(separator: "&").utf8)
  }

  static func formEncoded(_ text: String) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
  }

  /// The token and how many seconds it lives, from a 200 answer.
  package static func token(from exchange: HTTPExchange) -> (token: String, lifetime: Double)? {
    guard exchange.status == 200, let document = try? JSONDocument(bytes: exchange.body) else { return nil }
    var token: String?
    var lifetime: Double = 3_600
    for (key, value) in document.root.members {
      if key == "access_token" { token = value.string }
      if key == "expires_in" { lifetime = value.double ?? value.string.flatMap(Double.init) ?? lifetime }
    }
    guard let token, !token.isEmpty else { return nil }
    return (token, lifetime)
  }
}
