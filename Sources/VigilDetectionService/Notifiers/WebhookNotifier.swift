import Crypto
import VigilBase
import VigilCore

/// Posts each notification as JSON. With a secret, each request is signed: `X-Vigil-Signature:
/// sha256=HEX` is HMAC-SHA256 over `TIMESTAMP.BODY` with the secret, and `X-Vigil-Timestamp` holds
/// TIMESTAMP (Unix seconds), so receivers can refuse both forgeries and old replays.
/// `X-Vigil-Delivery` stays the same across retries of one notification.
package struct WebhookNotifier: Notifier {
  package let name: String
  let url: String
  let secret: String?
  let delivery: HTTPDelivery
  let clock: any VigilClock

  package init(name: String, url: String, secret: String?, transport: any HTTPTransport, clock: any VigilClock) {
    self.name = name
    self.url = url
    self.secret = secret
    self.clock = clock
    delivery = HTTPDelivery(transport: transport, name: name, secrets: [secret ?? ""])
  }

  package func sends(_ action: NotificationAction) -> Bool { true }

  struct Body: Encodable {
    var type: String
    var delivery: String
    var alert: AlertDocument
  }

  package static func body(_ notification: Notification) -> [UInt8] {
    NotificationJSON.encode(
      Body(
        type: "alert.\(AlertWording.verb(notification.action))", delivery: String(notification.delivery),
        alert: AlertDocument(notification.alert)))
  }

  package static func signature(secret: String, timestamp: Int64, body: [UInt8]) -> String {
    var message = Array("\(timestamp).".utf8)
    message += body
    let code = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Array(secret.utf8)))
    return "sha256=" + Hex.lowercase(code)
  }

  package func deliver(_ notification: Notification) async throws(DeliveryFailure) {
    let body = Self.body(notification)
    let timestamp = clock.now.seconds
    var headers = [
      ("X-Vigil-Event", "alert.\(AlertWording.verb(notification.action))"),
      ("X-Vigil-Delivery", String(notification.delivery)), ("X-Vigil-Timestamp", String(timestamp)),
    ]
    if let secret {
      headers.append(("X-Vigil-Signature", Self.signature(secret: secret, timestamp: timestamp, body: body)))
    }
    try await delivery.post(url, body: body, headers: headers)
  }
}
