import ArgumentParser
import Foundation
import HummingbirdBcrypt
import VigilBase
import VigilRuntime
import VigilWeb

/// `vigil user add NAME` and `vigil user token NAME`: the entries `web.users` and `web.api_tokens` take.
struct UserCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "user", abstract: "Make web app credentials: a user's password hash, or an API token.",
    subcommands: [AddUser.self, MakeToken.self])

  struct AddUser: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "add",
      abstract: "Hash a password for a web app user; prints the entry for `web.users` in vigil.yaml.",
      discussion:
        "The password comes from a prompt (typed twice, not shown) or from --password-file, never from an argument.")

    @Argument(help: "The user's name (what they type to sign in).") var name: String
    @Option(help: "Read the password from this file's first line instead of prompting.") var passwordFile: String?
    @Option(help: "bcrypt cost (10–15): each step doubles the time a guess takes.") var cost: UInt8 = 12

    func validate() throws {
      guard !name.isEmpty, name.count <= 64, !name.contains(where: { $0.isWhitespace || $0 == "\"" }) else {
        throw ValidationError("the name must be 1 to 64 characters without spaces or quotes")
      }
      guard (10...15).contains(cost) else { throw ValidationError("--cost must be between 10 and 15") }
    }

    func run() throws {
      let password = try passwordFile.map(Self.read) ?? Self.prompt()
      guard password.count >= 12 else {
        throw UserError("the password must be at least 12 characters (a passphrase is easier to remember)")
      }
      let hash = Bcrypt.hash(password, cost: cost)
      say("Add this under `web: users:` in vigil.yaml, then restart Vigil:")
      say("    - name: \(name)")
      say("      password_hash: '\(hash)'")
    }

    static func read(_ path: String) throws -> String {
      do {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return String(text.split(separator: "\n", omittingEmptySubsequences: false).first ?? "")
      } catch {
        throw UserError("cannot read the password file \(path): \(error.localizedDescription)")
      }
    }

    static func prompt() throws -> String {
      guard isatty(STDIN_FILENO) == 1 else {
        throw UserError("no terminal to prompt on: give the password with --password-file FILE")
      }
      let first = try HiddenInput.read("Password: ")
      let second = try HiddenInput.read("Again: ")
      guard first == second else { throw UserError("the passwords differ; nothing was written") }
      return first
    }
  }

  struct MakeToken: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "token",
      abstract: "Make an API token; prints it once, with the entry for `web.api_tokens` (which holds only its hash).")

    @Argument(help: "A name for the token (shown in logs and alert notes).") var name: String

    func run() {
      let token = "vgl_" + SecureToken.make(bytes: 32)
      say("API token for \(name) (shown once; send it as `Authorization: Bearer TOKEN`):")
      say("  \(token)")
      say("Add this under `web: api_tokens:` in vigil.yaml, then restart Vigil:")
      say("    - name: \(name)")
      say("      token_hash: \(SecureToken.tokenHash(token))")
    }
  }
}

/// A line from the terminal with echo off (restored even when reading fails).
enum HiddenInput {
  static func read(_ prompt: String) throws -> String {
    FileHandle.standardError.write(Data(prompt.utf8))
    var saved = termios()
    guard tcgetattr(STDIN_FILENO, &saved) == 0 else { throw UserError("cannot read the terminal's settings") }
    var silent = saved
    silent.c_lflag &= ~tcflag_t(ECHO)
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent)
    defer {
      tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved)
      FileHandle.standardError.write(Data("\n".utf8))
    }
    guard let line = readLine(strippingNewline: true) else { throw UserError("no password was typed") }
    return line
  }
}
