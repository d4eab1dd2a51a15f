import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Synchronization
import VigilBase

/// One conversation with the relay, from greeting to QUIT.
struct SMTPSession {
  let client: SMTPClient
  let channel: any Channel
  var replies: AsyncThrowingStream<String, any Error>.Iterator
  let watch: ReplyWatch

  static func run(_ client: SMTPClient, mail: MailEnvelope) async throws {
    let configuration = client.configuration
    let context = try client.tlsContext()
    let serverName = client.serverName
    let (stream, continuation) = AsyncThrowingStream<String, any Error>.makeStream()
    let watch = ReplyWatch()
    let implicitTLS = configuration.security == .tls
    let channel: any Channel
    do {
      channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .connectTimeout(.milliseconds(Int64(configuration.timeout * 1_000)))
        .channelInitializer { channel in
          channel.eventLoop.makeCompletedFuture {
            if implicitTLS {
              try channel.pipeline.syncOperations.addHandler(
                NIOSSLClientHandler(context: context, serverHostname: serverName))
            }
            try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(ReplyLineDecoder()))
            try channel.pipeline.syncOperations.addHandler(
              ReplyLineHandler(continuation: continuation, watch: watch))
          }
        }
        .connect(host: configuration.host, port: configuration.port).get()
    } catch {
      throw DeliveryFailure("cannot connect to \(client.relay): \(error); will retry")
    }
    var session = SMTPSession(
      client: client, channel: channel, replies: stream.makeAsyncIterator(), watch: watch)
    do {
      try await session.converse(mail, context: context, serverName: serverName)
      try? await channel.close()
    } catch {
      try? await channel.close()
      throw error
    }
  }

  mutating func converse(_ mail: MailEnvelope, context: NIOSSLContext, serverName: String?) async throws {
    let configuration = client.configuration
    _ = try await expect([220], after: "connecting")
    var extensions = try await command("EHLO \(configuration.clientName)", expect: [250])
    if configuration.security == .starttls {
      guard extensions.offers("STARTTLS") else {
        throw DeliveryFailure(
          "\(client.relay) does not offer STARTTLS; set security: tls for a TLS port, or check host and port",
          permanent: true)
      }
      _ = try await command("STARTTLS", expect: [220])
      let channel = self.channel
      try await channel.eventLoop.submit {
        try channel.pipeline.syncOperations.addHandler(
          NIOSSLClientHandler(context: context, serverHostname: serverName), position: .first)
      }.get()
      extensions = try await command("EHLO \(configuration.clientName)", expect: [250])
    }
    if let username = configuration.username {
      guard configuration.security != .none || client.isLoopback else {
        throw DeliveryFailure(
          "refusing to send the SMTP password to \(client.relay) without TLS; set security: starttls or tls",
          permanent: true)
      }
      try await authenticate(username: username, password: configuration.password ?? "", offered: extensions)
    }
    _ = try await command("MAIL FROM:<\(mail.from)>", expect: [250])
    for recipient in mail.recipients { _ = try await command("RCPT TO:<\(recipient)>", expect: [250, 251]) }
    _ = try await command("DATA", expect: [354])
    try await write(Self.dotStuffed(mail.message) + Array(".\r\n".utf8))
    _ = try await expect([250], after: "the message")
    try? await write(Array("QUIT\r\n".utf8))
    _ = try? await expect([221], after: "QUIT")
  }

  mutating func authenticate(username: String, password: String, offered: SMTPReply) async throws {
    let mechanisms = offered.authMechanisms
    if mechanisms.contains("PLAIN") {
      let token = Data(([0] + Array(username.utf8) + [0] + Array(password.utf8))).base64EncodedString()
      _ = try await command("AUTH PLAIN \(token)", expect: [235], shown: "AUTH PLAIN")
    } else if mechanisms.contains("LOGIN") {
      _ = try await command("AUTH LOGIN", expect: [334])
      _ = try await command(Data(username.utf8).base64EncodedString(), expect: [334], shown: "the user name")
      _ = try await command(Data(password.utf8).base64EncodedString(), expect: [235], shown: "the password")
    } else {
      throw DeliveryFailure(
        "\(client.relay) offers no AUTH PLAIN or LOGIN (it offers \(mechanisms.isEmpty ? "none" : mechanisms.joined(separator: ", ")))",
        permanent: true)
    }
  }

  /// Sends one command line and reads its reply. `shown` stands for the line in errors (credentials).
  mutating func command(_ line: String, expect codes: Set<Int>, shown: String? = nil) async throws -> SMTPReply {
    try await write(Array((line + "\r\n").utf8))
    return try await expect(codes, after: shown ?? String(line.prefix(while: { $0 != " " && $0 != ":" })))
  }

  /// A write to a channel that TLS closed fails as "I/O on closed channel"; the reason (a refused
  /// certificate) waits in the reply stream, so it is reported instead.
  mutating func write(_ bytes: [UInt8]) async throws {
    do {
      try await channel.writeAndFlush(ByteBuffer(bytes: bytes)).get()
    } catch {
      if watch.timedOut { throw timeoutFailure("the last command") }
      while try await replies.next() != nil {}
      throw error
    }
  }

  mutating func expect(_ codes: Set<Int>, after what: String) async throws -> SMTPReply {
    let reply = try await readReply(after: what)
    guard codes.contains(reply.code) else {
      let text = AddressText.shown(reply.text)
      if reply.code == 535 {
        throw DeliveryFailure(
          "\(client.relay) refused the login (535 \(text)); check username and password", permanent: true)
      }
      let transient = (400..<500).contains(reply.code)
      throw DeliveryFailure(
        "\(client.relay) answered \(reply.code) \(text) to \(what)\(transient ? "; will retry" : "")",
        permanent: !transient)
    }
    return reply
  }

  mutating func readReply(after what: String) async throws -> SMTPReply {
    var lines: [String] = []
    while true {
      let next: String?
      do {
        next = try await nextLine()
      } catch {
        if watch.timedOut { throw timeoutFailure(what) }
        throw error
      }
      guard let line = next else {
        if watch.timedOut { throw timeoutFailure(what) }
        throw DeliveryFailure("\(client.relay) closed the connection after \(what); will retry")
      }
      lines.append(line)
      guard lines.count < 100, line.count >= 3, let code = Int(line.prefix(3)) else {
        throw DeliveryFailure(
          "\(client.relay) does not speak SMTP (answered \(AddressText.shown(line)))", permanent: true)
      }
      if line.count == 3 || line[line.index(line.startIndex, offsetBy: 3)] != "-" {
        return SMTPReply(code: code, lines: lines.map { String($0.dropFirst(4)) })
      }
    }
  }

  /// The relay's next line, or a closed connection when nothing arrives within the timeout. The
  /// timeout looks at what arrived, not at when this task ran: a busy process that resumes late
  /// still reads a reply that came in time.
  mutating func nextLine() async throws -> String? {
    let channel = self.channel
    let watch = self.watch
    let seen = watch.received
    let timeout = channel.eventLoop.scheduleTask(in: .milliseconds(Int64(client.configuration.timeout * 1_000))) {
      if watch.expire(ifStill: seen) { channel.close(promise: nil) }
    }
    defer { timeout.cancel() }
    return try await replies.next()
  }

  func timeoutFailure(_ what: String) -> DeliveryFailure {
    DeliveryFailure("\(client.relay) did not answer \(what) within \(Int(client.configuration.timeout)) s; will retry")
  }

  /// CRLF line endings, a dot doubled at the start of each line, and a final CRLF.
  static func dotStuffed(_ message: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    out.reserveCapacity(message.count + 64)
    var lineStart = true
    var previous: UInt8 = 0
    for byte in message {
      if byte == UInt8(ascii: "\n"), previous != UInt8(ascii: "\r") { out.append(UInt8(ascii: "\r")) }
      if lineStart, byte == UInt8(ascii: ".") { out.append(UInt8(ascii: ".")) }
      out.append(byte)
      lineStart = byte == UInt8(ascii: "\n")
      previous = byte
    }
    if !lineStart { out += Array("\r\n".utf8) }
    return out
  }
}

/// One reply: its code and the text of each line.
struct SMTPReply {
  var code: Int
  var lines: [String]

  var text: String { lines.joined(separator: " ") }

  func offers(_ keyword: String) -> Bool {
    lines.contains { $0.uppercased() == keyword || $0.uppercased().hasPrefix(keyword + " ") }
  }

  var authMechanisms: [String] {
    lines.compactMap { line -> [String]? in
      let words = line.uppercased().split(separator: " ").map(String.init)
      return words.first == "AUTH" || words.first == "AUTH=" ? Array(words.dropFirst()) : nil
    }.flatMap { $0 }
  }
}

/// What the relay has sent so far, for the reply timeout (read on the event loop and in the session).
final class ReplyWatch: Sendable {
  private let state = Mutex((received: 0, timedOut: false))

  func arrived() { state.withLock { $0.received += 1 } }
  var received: Int { state.withLock { $0.received } }
  var timedOut: Bool { state.withLock { $0.timedOut } }

  /// Marks a timeout when no line arrived since `seen`; returns whether it did.
  func expire(ifStill seen: Int) -> Bool {
    state.withLock { state in
      guard state.received == seen else { return false }
      state.timedOut = true
      return true
    }
  }
}

/// Hands each line the relay sends to the session.
final class ReplyLineHandler: ChannelInboundHandler {
  typealias InboundIn = ByteBuffer
  let continuation: AsyncThrowingStream<String, any Error>.Continuation
  let watch: ReplyWatch

  init(continuation: AsyncThrowingStream<String, any Error>.Continuation, watch: ReplyWatch) {
    self.continuation = continuation
    self.watch = watch
  }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    watch.arrived()
    var buffer = unwrapInboundIn(data)
    continuation.yield(buffer.readString(length: min(buffer.readableBytes, 2_000)) ?? "")
  }

  func channelInactive(context: ChannelHandlerContext) {
    continuation.finish()
    context.fireChannelInactive()
  }

  func errorCaught(context: ChannelHandlerContext, error: any Error) {
    continuation.finish(throwing: error)
    context.close(promise: nil)
  }
}

/// Splits the relay's bytes into lines (without CR LF); a line over 4 kB is an error, not a buffer
/// that grows without end.
struct ReplyLineDecoder: ByteToMessageDecoder {
  typealias InboundOut = ByteBuffer
  static let maximumLine = 4_096

  mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
    guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
      if buffer.readableBytes > Self.maximumLine { throw DeliveryFailure("the relay sent a line over 4 kB") }
      return .needMoreData
    }
    let length = newline - buffer.readerIndex
    guard var line = buffer.readSlice(length: length) else { return .needMoreData }
    buffer.moveReaderIndex(forwardBy: 1)
    if line.readableBytesView.last == UInt8(ascii: "\r") {
      line = line.getSlice(at: line.readerIndex, length: line.readableBytes - 1) ?? line
    }
    context.fireChannelRead(wrapInboundOut(line))
    return .continue
  }

  mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws
    -> DecodingState
  {
    try decode(context: context, buffer: &buffer)
  }
}
