import Hummingbird
import NIOCore

/// Who is asking: a signed-in user (through a session) or an API token.
package struct Identity: Sendable, Hashable {
  package enum Kind: Sendable, Hashable {
    case user(session: String, csrf: String)
    case token
  }

  package var name: String
  package var kind: Kind

  /// The session's CSRF token, for forms (API tokens need none: a browser never sends them on its own).
  var csrf: String? {
    if case .user(_, let csrf) = kind { csrf } else { nil }
  }
}

/// The request context of the web app: the peer's address (for login throttling) and, once the access
/// middleware has checked it, who is asking.
package struct WebContext: RequestContext {
  package var coreContext: CoreRequestContextStorage
  package let peer: String
  package var identity: Identity?

  package init(source: ApplicationRequestContextSource) {
    coreContext = .init(source: source)
    peer = source.channel.remoteAddress?.ipAddress ?? "unknown"
    identity = nil
  }

  /// Form and JSON bodies are small; anything larger is refused before it is read.
  package var maxUploadSize: Int { 64 * 1024 }
}
