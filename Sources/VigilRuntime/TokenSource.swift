import Foundation
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
      do {
        text = try String(contentsOfFile: file, encoding: .utf8)
      } catch {
        throw UserError("cannot read token file \(file): \(Self.reason(error)); check the path and its permissions")
      }
    } else if let environment {
      guard let value = ProcessInfo.processInfo.environment[environment], !value.isEmpty else {
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
