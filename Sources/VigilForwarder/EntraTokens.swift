import VigilBase
import VigilSinks

/// Microsoft Entra ID client-credentials tokens for Sentinel, cached until five minutes before they
/// expire and fetched again when the receiver refuses one. The client secret never reaches a message.
package actor EntraTokens: TokenProvider {
  let request: EntraTokenRequest
  let transport: any HTTPTransport
  let clock: any VigilClock
  private var cached: (token: String, expires: Double)?

  package init(request: EntraTokenRequest, transport: any HTTPTransport, clock: any VigilClock) {
    self.request = request
    self.transport = transport
    self.clock = clock
  }

  package func token() async throws -> String {
    let now = clock.now.epochSeconds
    if let cached, cached.expires - 300 > now { return cached.token }
    let exchange = try await transport.send(
      method: "POST", url: request.url,
      headers: [("Content-Type", "application/x-www-form-urlencoded"), ("User-Agent", "Vigil")], body: request.body)
    guard let (token, lifetime) = EntraTokenRequest.token(from: exchange) else {
      let reply = ReceiverReply.text(exchange.body).replacing(request.clientSecret, with: "[secret]")
      throw TransportFailure(
        "the token endpoint answered HTTP \(exchange.status)\(reply); check tenant, client_id and the client secret")
    }
    cached = (token, now + lifetime)
    return token
  }

  package func invalidate() { cached = nil }
}
