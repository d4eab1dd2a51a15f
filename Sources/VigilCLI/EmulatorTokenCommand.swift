import ArgumentParser
import Foundation
import VigilBase
import VigilEventsAPI
import VigilEventsAPIModel
import VigilJSON
import VigilRuntime

/// `vigil emulator token issue|revoke`: manage a running emulator's tokens through its admin API.
struct EmulatorTokenCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "token", abstract: "Issue or revoke tokens of a running emulator.",
    subcommands: [Issue.self, Revoke.self])

  struct Issue: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Issue a token (written to --output, or printed).")

    @Option(help: "The running emulator.") var emulator = "http://127.0.0.1:8787"
    @Option(help: "Account: uuid, name or index (default: the first).") var account: String?
    @Option(help: "Comma-separated features (default: all three).") var features: String?
    @Option(help: "Expire the token after this many seconds.") var expiresIn: Double?
    @Option(name: .shortAndLong, help: "Write the token to this file (mode 600) instead of printing it.")
    var output: String?

    func run() async throws {
      var writer = JSONWriter()
      writer.beginObject()
      writer.field("account", account)
      if let features {
        writer.key("features")
        writer.beginArray()
        for feature in features.split(separator: ",") { writer.string(String(feature).trimmingWhitespace) }
        writer.endArray()
      }
      writer.field("expires_in", expiresIn)
      writer.endObject()
      let answer = try await AdminCall.post(emulator, path: "/admin/tokens", body: writer.bytes)
      guard let token = answer["token"]?.string else { throw UserError("the emulator did not return a token") }
      if let output {
        do {
          try AtomicFile.write(token + "\n", to: output, mode: 0o600)
        } catch {
          throw UserError("cannot write the token: \(error)")
        }
        say(
          "token \(answer["token_id"]?.string ?? "") for \(answer["account_uuid"]?.string ?? "") written to \(output)")
      } else {
        say(token)
      }
    }
  }

  struct Revoke: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Revoke a token by id or by its file.")

    @Option(help: "The running emulator.") var emulator = "http://127.0.0.1:8787"
    @Option(help: "The token id (jti).") var tokenId: String?
    @Option(help: "A file holding the token.") var tokenFile: String?

    func validate() throws {
      guard (tokenId == nil) != (tokenFile == nil) else {
        throw ValidationError("give exactly one of --token-id or --token-file")
      }
    }

    func run() async throws {
      let id = try tokenId ?? TokenSource.read(file: tokenFile, environment: nil).tokenID ?? ""
      var writer = JSONWriter()
      writer.beginObject()
      writer.field("token_id", id)
      writer.endObject()
      _ = try await AdminCall.post(emulator, path: "/admin/tokens/revoke", body: writer.bytes)
      say("revoked \(id)")
    }
  }
}

/// A JSON call to an emulator's admin API.
enum AdminCall {
  static func post(_ base: String, path: String, body: [UInt8]) async throws -> JSONValue {
    let transport = try Runtime.makeTransport(HTTPSettings())
    let exchange: HTTPExchange
    do {
      exchange = try await transport.send(
        method: "POST", url: base + path, headers: [("Content-Type", "application/json")], body: body)
      try? await transport.shutdown()
    } catch {
      try? await transport.shutdown()
      throw UserError("cannot reach the emulator at \(base) (\(error)): is `vigil emulator` running there?")
    }
    guard let document = try? JSONDocument(bytes: exchange.body), document.root.kind == .object else {
      throw UserError("\(base) answered \(exchange.status) without JSON: is it a Vigil emulator?")
    }
    guard exchange.status == 200 else {
      throw UserError("the emulator refused: \(document.root["error"]?.string ?? "status \(exchange.status)")")
    }
    return document.root
  }
}
