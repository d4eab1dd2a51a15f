import VigilBase
import VigilCore
import VigilSinks

/// Splunk HEC with indexer acknowledgement: a batch counts as delivered only once Splunk says its
/// events are indexed, not merely received. After each accepted request the connection polls
/// `/services/collector/ack` for the request's `ackId`; if the answer does not come within
/// `timeout`, the batch is sent again (HEC's documented recovery, so it may repeat in Splunk).
package struct SplunkAcknowledgedConnection: SinkConnection {
  let http: HTTPSinkConnection
  let destination: SplunkHECDestination
  let clock: any VigilClock
  let pollInterval: Double
  let timeout: Double

  package init(
    destination: SplunkHECDestination, transport: any HTTPTransport, clock: any VigilClock,
    pollInterval: Double = 1, timeout: Double = 300
  ) {
    var destination = destination
    if destination.channel == nil { destination.channel = SplunkAcknowledgedConnection.newChannel() }
    self.destination = destination
    self.http = HTTPSinkConnection(destination: destination, transport: transport)
    self.clock = clock
    self.pollInterval = pollInterval
    self.timeout = timeout
  }

  /// A random channel GUID for this process's requests.
  static func newChannel() -> String {
    var generator = SystemRandomNumberGenerator()
    let hex = (0..<16).map { _ in String(UInt8.random(in: 0...255, using: &generator), radix: 16) }
      .map { $0.count == 1 ? "0" + $0 : $0 }.joined()
    let parts = [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { range in
      String(hex.dropFirst(range.lowerBound).prefix(range.count))
    }
    return parts.joined(separator: "-")
  }

  package var limits: Batcher.Limits { destination.limits }

  package func record(_ event: StoredEvent, now: Timestamp) -> RecordChoice { destination.record(event, now: now) }

  package func alert(_ alert: AlertRecord) -> [UInt8]? { destination.alert(alert) }

  package var readsRaw: Bool { destination.readsRaw }

  package func rawRecord(_ event: RawStoredEvent, now: Timestamp) -> RecordChoice? {
    destination.rawRecord(event, now: now)
  }

  package func deliver(_ batch: [SinkRecord]) async -> DeliveryVerdict {
    let (verdict, answer) = await http.exchange(batch)
    guard verdict.isDelivered, let answer else { return verdict }
    guard let id = SplunkHECDestination.ackID(answer.body), let request = destination.ackRequest(id) else {
      return .retryAll(
        batch.count,
        reason: "Splunk answered without an ackId; turn indexer acknowledgement on for this HEC token, or off in Vigil")
    }
    let deadline = clock.now.epochSeconds + timeout
    var lastProblem = "not indexed yet"
    while clock.now.epochSeconds < deadline {
      do {
        try await clock.sleep(seconds: pollInterval)
      } catch {
        return .retryAll(batch.count, reason: "stopped while waiting for Splunk's acknowledgement")
      }
      do {
        let poll = try await http.send(request)
        if poll.status == 200 {
          if SplunkHECDestination.acknowledged(id, in: poll.body) { return .delivered }
        } else {
          lastProblem = "the ack endpoint answered HTTP \(poll.status)\(ReceiverReply.text(poll.body))"
        }
      } catch {
        lastProblem = "cannot ask for the acknowledgement: \(error.reason)"
      }
    }
    return .retryAll(
      batch.count,
      reason: "Splunk did not confirm indexing within \(Int(timeout)) s (\(lastProblem)); sending the batch again")
  }

  package func close() async {}
}
