/// One message for an SMTP relay: the envelope and the message as it goes on the wire (RFC 5322,
/// CRLF line endings).
package struct MailEnvelope: Hashable, Sendable {
  package var from: String
  package var recipients: [String]
  package var message: [UInt8]

  package init(from: String, recipients: [String], message: [UInt8]) {
    self.from = from
    self.recipients = recipients
    self.message = message
  }
}

/// The seam between email notifications and the network.
package protocol MailTransport: Sendable {
  func send(_ mail: MailEnvelope) async throws(DeliveryFailure)
}

/// A notification that did not get through. The message names what to check and never holds a
/// secret (a webhook URL, a routing key, a password).
package struct DeliveryFailure: Error, Hashable, Sendable, CustomStringConvertible {
  package var message: String
  /// Retrying cannot help (a rejected request, a refused login): the notification fails at once.
  package var permanent: Bool
  /// Seconds the receiver asked to wait (HTTP 429 Retry-After).
  package var retryAfter: Double?

  package init(_ message: String, permanent: Bool = false, retryAfter: Double? = nil) {
    self.message = message
    self.permanent = permanent
    self.retryAfter = retryAfter
  }

  package var description: String { message }
}
