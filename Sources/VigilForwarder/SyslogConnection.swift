import NIOCore
import NIOPosix
import NIOSSL
import VigilBase
import VigilCore
import VigilFormats
import VigilSinks

/// Syslog to a collector (rsyslog, syslog-ng, a SIEM's syslog input): RFC 5424 messages over UDP (one
/// per datagram), TCP or TLS (octet counting, RFC 6587 and RFC 5425) on one kept-open connection.
///
/// Neither TCP nor TLS syslog acknowledges anything: a batch counts as delivered once the kernel took
/// its bytes. A connection the server dropped is noticed on the next write, which fails and is
/// retried on a new connection; frames written just before an unnoticed drop can be lost. Closing sends
/// TLS close_notify and waits for the server's, reading what it still sends (TLS 1.3 session
/// tickets), so that the last frames are not cut off by a reset.
package actor SyslogConnection: SinkConnection {
  nonisolated let settings: SinkSettings.Syslog
  nonisolated let hostname: String
  private let context: NIOSSLContext?
  private var channel: (any Channel)?
  private var address: SocketAddress?

  package init(settings: SinkSettings.Syslog, hostname: String) throws {
    self.settings = settings
    self.hostname = hostname
    if settings.transport == .tls {
      var tls = TLSConfiguration.makeClientConfiguration()
      if let caFile = settings.caFile { tls.trustRoots = .file(caFile) }
      if let certificate = settings.certificateFile, let key = settings.keyFile {
        tls.certificateChain = try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) }
        tls.privateKey = .privateKey(try NIOSSLPrivateKey(file: key, format: .pem))
      }
      context = try NIOSSLContext(configuration: tls)
    } else {
      context = nil
    }
  }

  package nonisolated var limits: Batcher.Limits {
    Batcher.Limits(events: settings.transport == .udp ? 100 : 1_000, bytes: 1 << 20, seconds: 1)
  }

  package nonisolated func record(_ event: StoredEvent, now: Timestamp) -> RecordChoice {
    let message = SyslogBody.message(
      event.event, body: settings.body, facility: settings.facility, hostname: hostname, appName: settings.appName)
    return .send(settings.transport == .udp ? message.bytes() : message.octetCounted())
  }

  /// An alert change as one message: MSGID `alert`, the alert's severity, its JSON or CEF line.
  package nonisolated func alert(_ alert: AlertRecord) -> [UInt8]? {
    let body: [UInt8] =
      switch settings.body {
      case .json: alert.json
      case .cef: Array(CEFEncoder().alertLine(alert).utf8)
      }
    let message = SyslogMessage(
      facility: settings.facility, severity: AlertSeverityScale.syslog(alert.severity), time: alert.updatedAt,
      hostname: hostname, appName: settings.appName, msgID: "alert", message: body)
    return settings.transport == .udp ? message.bytes() : message.octetCounted()
  }

  package func deliver(_ batch: [SinkRecord]) async -> DeliveryVerdict {
    do {
      let channel = try await connected()
      if settings.transport == .udp, let address {
        for record in batch {
          try await channel.writeAndFlush(
            AddressedEnvelope(remoteAddress: address, data: ByteBuffer(bytes: record.bytes))
          )
          .get()
        }
      } else {
        var buffer = channel.allocator.buffer(capacity: batch.reduce(0) { $0 + $1.bytes.count })
        for record in batch { buffer.writeBytes(record.bytes) }
        try await channel.writeAndFlush(buffer).get()
      }
      return .delivered
    } catch {
      await drop()
      return .retryAll(
        batch.count,
        reason: "cannot send to \(settings.host):\(settings.port) over \(settings.transport.rawValue): \(error)")
    }
  }

  package func close() async { await drop() }

  private func drop() async {
    guard let channel else { return }
    self.channel = nil
    // For TLS, NIOSSL's close sends close_notify and waits (bounded) for the server's.
    try? await channel.close()
  }

  private func connected() async throws -> any Channel {
    if let channel, channel.isActive { return channel }
    if let channel {
      self.channel = nil
      try? await channel.close()
    }
    let group = MultiThreadedEventLoopGroup.singleton
    let made: any Channel
    switch settings.transport {
    case .udp:
      address = try SocketAddress.makeAddressResolvingHost(settings.host, port: settings.port)
      let bindHost = address?.protocol == .inet6 ? "::" : "0.0.0.0"
      made = try await DatagramBootstrap(group: group).bind(host: bindHost, port: 0).get()
    case .tcp, .tls:
      let context = self.context
      let serverName = Self.isAddress(settings.host) ? nil : settings.host
      made = try await ClientBootstrap(group: group)
        .connectTimeout(.seconds(10))
        .channelOption(.socketOption(.so_keepalive), value: 1)
        .channelInitializer { channel in
          channel.eventLoop.makeCompletedFuture {
            if let context {
              try channel.pipeline.syncOperations.addHandler(
                NIOSSLClientHandler(context: context, serverHostname: serverName))
            }
            try channel.pipeline.syncOperations.addHandler(DiscardInbound())
          }
        }
        .connect(host: settings.host, port: settings.port).get()
    }
    channel = made
    return made
  }

  static func isAddress(_ host: String) -> Bool {
    host.contains(":") || host.split(separator: ".").count == 4 && host.allSatisfy { $0.isNumber || $0 == "." }
  }
}

/// Syslog servers send nothing back; whatever arrives (TLS session tickets are consumed below this) is
/// read and dropped, so the socket never closes with unread data.
private final class DiscardInbound: ChannelInboundHandler, Sendable {
  typealias InboundIn = ByteBuffer
  func channelRead(context: ChannelHandlerContext, data: NIOAny) {}
}
