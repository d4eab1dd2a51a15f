import ArgumentParser
import Foundation
import Logging
import VigilBase
import VigilEventsAPI
import VigilEventsAPIModel
import VigilRuntime

struct TokenCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "token", abstract: "Work with Events API bearer tokens.", subcommands: [TokenInspectCommand.self])
}

/// `vigil token inspect`: what a token is for, read from its claims, and optionally what the API says.
struct TokenInspectCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "inspect",
    abstract: "Show a token's region, host, features, account and dates (never the token itself).")

  @Option(help: "Read the token from this file.") var tokenFile: String?
  @Option(help: "Read the token from this environment variable.") var tokenEnv: String?
  @Flag(help: "Also ask the API (introspection) whether it accepts the token.") var online = false
  @Flag(help: "With --online, use the deprecated /api/auth/introspect endpoint.") var deprecated = false
  @Option(help: "Events API base URL (default: the token's own host).") var url: String?
  @Option(help: "HTTP(S) proxy, http://[user:password@]host:port (default: $HTTPS_PROXY).") var proxy: String?
  @Flag(help: "Skip TLS certificate verification (testing only).") var insecure = false

  func run() async throws {
    let token = try TokenSource.read(file: tokenFile, environment: tokenEnv)
    let now = SystemClock().now
    say(TokenReport.describe(token, now: now, url: url))
    guard online else { return }
    var settings = HTTPSettings()
    settings.verifyTLS = !insecure
    settings.proxy = proxy
    settings.requestTimeout = 15
    settings.connectTimeout = 3
    let transport = try Runtime.makeTransport(settings.withProxy(from: ProcessInfo.processInfo.environment))
    var configuration = EventsAPIClient.Configuration(baseURL: url)
    configuration.maximumAttempts = 2
    configuration.backoff = Backoff(base: 0.5, cap: 2)
    // An interactive check: the final error says it all, retries are not worth a log line.
    var logger = Logger(label: "vigil.token")
    logger.logLevel = .error
    let outcome: Result<String, UserError>
    do {
      let client = try EventsAPIClient(
        token: token, configuration: configuration, transport: transport, clock: SystemClock(), logger: logger)
      let result = try await client.introspect(deprecated: deprecated)
      let endpoint = client.baseURL + (deprecated ? IntrospectionPath.v1 : IntrospectionPath.v2)
      outcome = .success(TokenReport.describe(result, endpoint: endpoint))
    } catch let error as TokenError {
      outcome = .failure(UserError(error.description))
    } catch let error as EventsAPIError {
      outcome = .failure(UserError(error.description))
    }
    try? await transport.shutdown()
    say(try outcome.get())
  }
}

/// Human-readable token facts.
enum TokenReport {
  static func describe(_ token: EventsToken, now: Timestamp, url: String?) -> String {
    var lines = ["Token"]
    if let url {
      lines.append("  API:        \(url) (given)")
    } else if let host = token.knownHost {
      lines.append("  API:        \(host.baseURL)")
      lines.append("  Region:     \(host.region)")
    } else if let host = token.audienceHost {
      lines.append("  API:        https://\(host) (not one of 1Password's hosts)")
    } else {
      lines.append("  API:        unknown (legacy token: give --url)")
    }
    lines.append("  Account:    \(token.accountUUID ?? "not stated")")
    lines.append("  Features:   \(token.features.isEmpty ? "none stated" : token.features.joined(separator: ", "))")
    let missing = EventStream.allCases.filter { !token.features.contains($0.feature) }
    if !token.features.isEmpty, !missing.isEmpty {
      lines.append("  Cannot read: \(missing.map(\.displayName).joined(separator: ", "))")
    }
    lines.append("  Token ID:   \(token.tokenID ?? "not stated")")
    lines.append("  Issued:     \(token.issuedAt.map { "\($0.rfc3339) (\(age($0, now: now)))" } ?? "not stated")")
    if let expiry = token.expiresAt {
      let state =
        expiry <= now ? "EXPIRED \(age(expiry, now: now))" : "in \(duration(expiry.epochSeconds - now.epochSeconds))"
      lines.append("  Expires:    \(expiry.rfc3339) (\(state))")
    } else {
      lines.append("  Expires:    never")
    }
    // Claims come from whatever file was given: filtered like any other untrusted text.
    return lines.map(Printable.text).joined(separator: "\n")
  }

  static func describe(_ introspection: Introspection, endpoint: String) -> String {
    [
      "Introspection (\(endpoint)): accepted",
      "  Token ID:   \(introspection.uuid ?? "not stated")",
      "  Account:    \(introspection.accountUUID ?? "not stated")",
      "  Features:   \(introspection.features.joined(separator: ", "))",
      "  Issued:     \(introspection.issuedAt?.rfc3339 ?? "not stated")",
    ].map(Printable.text).joined(separator: "\n")  // the server's fields, shown on a terminal
  }

  static func age(_ time: Timestamp, now: Timestamp) -> String {
    let seconds = now.epochSeconds - time.epochSeconds
    return seconds >= 0 ? "\(duration(seconds)) ago" : "in \(duration(-seconds))"
  }

  static func duration(_ seconds: Double) -> String {
    switch seconds {
    case ..<120: "\(Int(seconds)) s"
    case ..<7200: "\(Int(seconds / 60)) min"
    case ..<172_800: "\(Int(seconds / 3600)) h"
    default: "\(Int(seconds / 86_400)) days"
    }
  }
}
