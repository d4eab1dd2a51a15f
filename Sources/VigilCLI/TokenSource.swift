import EventsAPIModel
import Foundation

/// Reads a bearer token from a file, an environment variable or standard input, with errors that
/// name the source and never the token.
enum TokenSource {
  static func read(file: String?, environment: String?) throws -> EventsToken {
    let text: String
    if let file {
      do {
        text = try String(contentsOfFile: file, encoding: .utf8)
      } catch {
        throw CLIError("cannot read token file \(file): \(Self.reason(error)); check the path and its permissions")
      }
    } else if let environment {
      guard let value = ProcessInfo.processInfo.environment[environment], !value.isEmpty else {
        throw CLIError("environment variable \(environment) is not set or empty")
      }
      text = value
    } else {
      guard let line = readLine(strippingNewline: true) else {
        throw CLIError("no token given: use --token-file PATH, --token-env NAME, or pipe the token on standard input")
      }
      text = line
    }
    do {
      return try EventsToken(text)
    } catch {
      throw CLIError(error.description)
    }
  }

  static func reason(_ error: any Error) -> String {
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
