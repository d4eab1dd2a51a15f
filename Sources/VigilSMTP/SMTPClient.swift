import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import VigilBase

/// Sends mail through an SMTP relay (RFC 5321): STARTTLS or implicit TLS, AUTH PLAIN or LOGIN, one
/// connection per message. Replies in 4xx are worth a retry, 5xx are not; the password never
/// appears in an error.
package struct SMTPClient: MailTransport {
  package enum Security: String, Sendable, Hashable {
    case starttls, tls, none
  }

  package struct Configuration: Sendable, Hashable {
    package var host: String
    package var port: Int
    package var security: Security = .starttls
    package var username: String?
    package var password: String?
    /// PEM certificates to trust instead of the system's.
    package var caFile: String?
    /// Seconds for connecting and for each reply.
    package var timeout: Double = 30
    /// The name Vigil gives in EHLO.
    package var clientName = "vigil.localdomain"

    package init(host: String, port: Int) {
      self.host = host
      self.port = port
    }
  }

  let configuration: Configuration

  package init(_ configuration: Configuration) { self.configuration = configuration }

  var relay: String { "\(configuration.host):\(configuration.port)" }

  package func send(_ mail: MailEnvelope) async throws(DeliveryFailure) {
    for address in [mail.from] + mail.recipients where !Self.isPlainAddress(address) {
      throw DeliveryFailure("email address \(AddressText.shown(address)) is not a plain address", permanent: true)
    }
    do {
      try await SMTPSession.run(self, mail: mail)
    } catch let failure as DeliveryFailure {
      throw failure
    } catch let error as NIOSSLError {
      throw DeliveryFailure("TLS with \(relay) failed (\(error)); check the relay's certificate and ca_file")
    } catch let error as BoringSSLError {
      throw DeliveryFailure("TLS with \(relay) failed (\(error)); check the relay's certificate and ca_file")
    } catch {
      throw DeliveryFailure("cannot talk to \(relay): \(error)")
    }
  }

  /// No spaces, brackets or control characters: nothing that could end the SMTP command early.
  static func isPlainAddress(_ address: String) -> Bool {
    !address.isEmpty && address.count <= 254
      && address.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value != 0x7F && $0 != "<" && $0 != ">" }
  }

  func tlsContext() throws -> NIOSSLContext {
    var tls = TLSConfiguration.makeClientConfiguration()
    if let caFile = configuration.caFile { tls.trustRoots = .file(caFile) }
    return try NIOSSLContext(configuration: tls)
  }

  /// SNI takes names only; an address literal is verified without it.
  var serverName: String? {
    let host = configuration.host
    let isAddress = host.contains(":") || host.split(separator: ".").allSatisfy { Int($0) != nil }
    return isAddress ? nil : host
  }

  var isLoopback: Bool { ["localhost", "127.0.0.1", "::1"].contains(configuration.host.lowercased()) }
}

/// Addresses and relay replies in messages: bounded, and printable on a terminal or in a log.
enum AddressText {
  static func shown(_ text: String) -> String {
    Printable.text(String(String.UnicodeScalarView(text.unicodeScalars.prefix(200))))
  }
}
