import Hummingbird
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import ServiceLifecycle
import VigilBase
import VigilDashboards

/// Why the web server could not start.
package struct WebServerError: Error, CustomStringConvertible {
  package var description: String
}

/// The web app as a service of `vigil run`, `vigil serve` and `vigil demo`.
package enum WebServer {
  /// The plain-HTTP `/metrics` listener of `web.metrics.listen`.
  package static func metrics(
    _ exporter: @escaping @Sendable () -> [UInt8], host: String, port: Int, logger: Logger
  ) -> any Service {
    Application(
      router: WebApp.metricsRouter(exporter),
      configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: nil), logger: logger)
  }

  /// Builds the server: plain HTTP, or TLS from the configured PEM files. `onRunning` receives the bound
  /// port (useful with port 0).
  package static func make(
    _ app: WebApp, logger: Logger, onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
  ) throws(WebServerError) -> any Service {
    let settings = app.settings
    let configuration = ApplicationConfiguration(
      address: .hostname(settings.host, port: settings.port), serverName: nil)
    let running: @Sendable (any Channel) async -> Void = { channel in
      await onRunning(channel.localAddress?.port ?? settings.port)
    }
    guard let certificate = settings.tlsCertificate, let key = settings.tlsKey else {
      return Application(router: app.router(), configuration: configuration, onServerRunning: running, logger: logger)
    }
    let tls: TLSConfiguration
    do {
      let chain = try NIOSSLCertificate.fromPEMFile(certificate)
      let privateKey = try NIOSSLPrivateKey(file: key, format: .pem)
      tls = TLSConfiguration.makeServerConfiguration(
        certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(privateKey))
    } catch {
      throw WebServerError(description: "cannot read web.tls (\(certificate), \(key)): \(error)")
    }
    do {
      return Application(
        router: app.router(), server: try .tls(.http1(), tlsConfiguration: tls), configuration: configuration,
        onServerRunning: running, logger: logger)
    } catch {
      throw WebServerError(description: "cannot set up TLS for the web app: \(error)")
    }
  }
}
