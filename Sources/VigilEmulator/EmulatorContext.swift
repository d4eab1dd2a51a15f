import Hummingbird
import NIOCore

/// Request context that remembers the peer, so the admin API can refuse anyone not on loopback.
package struct EmulatorContext: RequestContext, RemoteAddressRequestContext {
  package var coreContext: CoreRequestContextStorage
  package let remoteAddress: SocketAddress?

  package init(source: ApplicationRequestContextSource) {
    coreContext = .init(source: source)
    remoteAddress = source.channel.remoteAddress
  }

  var isLoopback: Bool {
    guard let address = remoteAddress?.ipAddress else { return false }
    return address.hasPrefix("127.") || address == "::1" || address.hasPrefix("::ffff:127.")
  }
}
