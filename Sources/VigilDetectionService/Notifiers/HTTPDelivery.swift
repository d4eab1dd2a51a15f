import VigilBase

/// Posts one notification body and tells a delivered request from one worth retrying and one that
/// never will succeed. Messages name the notifier and the host only: a webhook URL or routing key
/// may be the secret.
package struct HTTPDelivery: Sendable {
  package let transport: any HTTPTransport
  /// The notifier's name, for messages.
  package let name: String
  /// Strings never to repeat in a message (secret URLs, keys).
  package let secrets: [String]

  package init(transport: any HTTPTransport, name: String, secrets: [String] = []) {
    self.transport = transport
    self.name = name
    self.secrets = secrets.filter { !$0.isEmpty }
  }

  package func post(_ url: String, body: [UInt8], headers: [(String, String)] = []) async throws(DeliveryFailure) {
    let host = URLPolicy.parts(url)?.host ?? "the receiver"
    let exchange: HTTPExchange
    do {
      exchange = try await transport.send(
        method: "POST", url: url,
        headers: [("Content-Type", "application/json"), ("User-Agent", "Vigil")] + headers, body: body)
    } catch let failure as TransportFailure {
      throw DeliveryFailure(
        "\(name): cannot reach \(host): \(redacted(failure.reason))", permanent: failure.kind == .refused)
    } catch {
      throw DeliveryFailure("\(name): cannot reach \(host): \(redacted("\(error)"))")
    }
    switch exchange.status {
    case 200..<300: return
    case 408, 425, 429, 500..<600:
      throw DeliveryFailure(
        "\(name): \(host) answered HTTP \(exchange.status)\(reply(exchange)); will retry",
        retryAfter: exchange.headers["retry-after"].flatMap(Double.init))
    default:
      throw DeliveryFailure(
        "\(name): \(host) refused the notification with HTTP \(exchange.status)\(reply(exchange)); check the "
          + "notifier's URL and key", permanent: true)
    }
  }

  /// The start of the receiver's answer (Slack and PagerDuty say what was wrong), printable only.
  private func reply(_ exchange: HTTPExchange) -> String {
    let text = AlertWording.bounded(String(decoding: exchange.body.prefix(400), as: UTF8.self), 160)
      .trimmingWhitespace
    return text.isEmpty ? "" : " (\(redacted(text)))"
  }

  private func redacted(_ text: String) -> String {
    secrets.reduce(text) { $0.replacing($1, with: "[secret]") }
  }
}
