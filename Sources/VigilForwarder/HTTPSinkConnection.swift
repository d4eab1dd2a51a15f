import CompressNIO
import NIOCore
import VigilBase
import VigilCore
import VigilSinks

/// Delivers to an ``HTTPDestination`` through the shared transport: builds the request, gzips it when
/// the receiver takes gzip, fetches a bearer token when the receiver needs one, and reads the answer.
/// Messages name the host only: URLs and headers may hold the secret.
package struct HTTPSinkConnection: SinkConnection {
  let destination: any HTTPDestination
  let transport: any HTTPTransport
  let tokens: (any TokenProvider)?
  let logger: @Sendable (String) -> Void

  package init(
    destination: any HTTPDestination, transport: any HTTPTransport, tokens: (any TokenProvider)? = nil,
    onNotice: @escaping @Sendable (String) -> Void = { _ in }
  ) {
    self.destination = destination
    self.transport = transport
    self.tokens = tokens
    self.logger = onNotice
  }

  package var limits: Batcher.Limits { destination.limits }

  package func record(_ event: StoredEvent, now: Timestamp) -> RecordChoice { destination.record(event, now: now) }

  package func alert(_ alert: AlertRecord) -> [UInt8]? { destination.alert(alert) }

  package var readsRaw: Bool { destination.readsRaw }

  package func rawRecord(_ event: RawStoredEvent, now: Timestamp) -> RecordChoice? {
    destination.rawRecord(event, now: now)
  }

  package func deliver(_ batch: [SinkRecord]) async -> DeliveryVerdict { await exchange(batch).verdict }

  /// Sends a batch: the verdict, and the receiver's answer when there was one.
  package func exchange(_ batch: [SinkRecord]) async -> (verdict: DeliveryVerdict, answer: HTTPExchange?) {
    var token: String?
    if let tokens {
      do {
        token = try await tokens.token()
      } catch {
        return (.retryAll(batch.count, reason: "cannot get a token: \(error)"), nil)
      }
    }
    let request = destination.request(batch, token: token)
    let host = URLPolicy.parts(request.url)?.host ?? "the receiver"
    let exchange: HTTPExchange
    do {
      exchange = try await send(request)
    } catch {
      return (.retryAll(batch.count, reason: "cannot reach \(host): \(error.reason)"), nil)
    }
    if exchange.status == 401 || exchange.status == 403, let tokens { await tokens.invalidate() }
    if [401, 403, 404, 407].contains(exchange.status) {
      // The sink's URL or credentials are wrong, not the events: they wait for the fix instead of
      // filling the quarantine.
      let verdict = DeliveryVerdict.retryAll(
        batch.count,
        reason:
          "\(host) answered HTTP \(exchange.status)\(ReceiverReply.text(exchange.body)); check the sink's URL and "
          + "credentials")
      return (verdict, exchange)
    }
    return (destination.verdict(exchange, batch: batch), exchange)
  }

  /// Sends one request, gzipped when the receiver takes gzip.
  package func send(_ request: SinkRequest) async throws(TransportFailure) -> HTTPExchange {
    var headers = request.headers + [("User-Agent", "Vigil")]
    var body = request.body
    if request.compress {
      do {
        body = try Gzip.compress(body)
        headers.append(("Content-Encoding", "gzip"))
      } catch {
        logger("cannot gzip a request (\(error)); sending it uncompressed")
      }
    }
    do {
      return try await transport.send(method: request.method, url: request.url, headers: headers, body: body)
    } catch let failure as TransportFailure {
      throw failure
    } catch {
      throw TransportFailure("\(error)")
    }
  }

  package func close() async {}
}

/// Gzip for request bodies, at zlib's fastest level: compression runs on every byte a sink sends, and
/// repetitive event JSON still shrinks several times at level 1 (`docs/performance.md`).
package enum Gzip {
  package static func compress(_ bytes: [UInt8]) throws -> [UInt8] {
    var input = ByteBuffer(bytes: bytes)
    let compressor = CompressionAlgorithm.gzip(configuration: .init(compressionLevel: .fastestCompression)).compressor
    try compressor.startStream()
    defer { try? compressor.finishStream() }
    var output = ByteBufferAllocator().buffer(capacity: compressor.maxSize(from: input))
    try compressor.streamDeflate(from: &input, to: &output, flush: .finish)
    return Array(output.readableBytesView)
  }
}

/// Bearer tokens for receivers that need them (Sentinel), fetched once and reused until near expiry.
package protocol TokenProvider: Sendable {
  func token() async throws -> String
  /// The receiver refused the token: the next call fetches a new one.
  func invalidate() async
}
