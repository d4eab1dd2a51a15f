import Foundation
import VigilBase
import VigilConfig
import VigilEventsAPIModel

/// Reads a bearer token from a file, an environment variable or standard input, with errors that
/// name the source and never the token.
package enum TokenSource {
  package static func read(_ location: AccountConfiguration.TokenLocation) throws(UserError) -> EventsToken {
    switch location {
    case .file(let path): try read(file: path, environment: nil)
    case .environment(let name): try read(file: nil, environment: name)
    }
  }

  package static func read(file: String?, environment: String?) throws(UserError) -> EventsToken {
    let text: String
    if let file {
      // Errors name the file; a token pasted in its place is not repeated.
      let shown = TokenLookalike.shown(file)
      var status = stat()
      if stat(file, &status) == 0 {
        guard (status.st_mode & S_IFMT) == S_IFREG else {
          throw UserError("token file \(shown) is not a regular file; point token_file at the file holding the token")
        }
        guard status.st_size <= maximumFileBytes else {
          throw UserError(
            "token file \(shown) holds \(status.st_size) bytes; a token is under 2 kB: check that the path names the token"
          )
        }
      }
      do {
        text = try String(contentsOfFile: file, encoding: .utf8)
      } catch {
        if TokenLookalike.hides(file) {
          throw UserError(
            "token file \(shown): no such file; token_file (and --token-file) take the path of a file holding the "
              + "token, not the token itself")
        }
        throw UserError("cannot read token file \(file): \(Self.reason(error)); check the path and its permissions")
      }
    } else if let environment {
      guard let value = ProcessInfo.processInfo.environment[environment], !value.isEmpty else {
        if TokenLookalike.hides(environment) {
          throw UserError(
            "environment variable \(TokenLookalike.placeholder) is not set: token_env (and --token-env) take the "
              + "name of a variable holding the token, not the token itself")
        }
        throw UserError("environment variable \(environment) is not set or empty")
      }
      text = value
    } else {
      guard let line = readLine(strippingNewline: true) else {
        throw UserError("no token given: use --token-file PATH, --token-env NAME, or pipe the token on standard input")
      }
      text = line
    }
    do {
      return try EventsToken(text)
    } catch {
      throw UserError(error.description)
    }
  }

  /// Larger files are refused unread (a token is about 1 kB; `/dev/zero` would never end).
  package static let maximumFileBytes = 16 * 1024

  /// A warning when other users may read the token file (group or world permissions), else nil.
  package static func exposure(_ location: AccountConfiguration.TokenLocation) -> String? {
    guard case .file(let path) = location else { return nil }
    var status = stat()
    guard stat(path, &status) == 0, status.st_mode & 0o077 != 0 else { return nil }
    return
      "token file \(TokenLookalike.shown(path)) can be read by other users (mode \(String(status.st_mode & 0o777, radix: 8))); "
      + "run: chmod 600 \(path)"
  }

  /// A file error in a few words ("no such file", "permission denied").
  package static func reason(_ error: any Error) -> String {
    let nsError = error as NSError
    if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
      return String(cString: strerror(Int32(underlying.code)))
    }
    switch nsError.code {
    case NSFileReadNoSuchFileError: return "no such file"
    case NSFileReadNoPermissionError: return "permission denied"
    default: return nsError.localizedDescription
    }
  }
}
