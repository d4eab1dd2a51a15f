import VigilBase

/// What a receiver made of one batch: which records arrived, which are worth sending again, and which
/// it refused for good (each with the receiver's reason). Indices are positions in the batch.
package struct DeliveryVerdict: Sendable, Hashable {
  /// Records to send again (429, 5xx, timeouts).
  package var retry: [Int]
  /// Records refused for good (4xx other than 429), with why: they go to quarantine.
  package var rejected: [Int: String]
  /// What the receiver asked for (`Retry-After`, seconds).
  package var retryAfter: Double?
  /// Why records are retried, for the log and `vigil sinks status`.
  package var reason: String?
  /// The receiver refused the request as a whole (a 4xx for the body, a 413): the refusal may be due to
  /// one record or to the size, so the forwarder sends the batch again in halves to find out, and
  /// quarantines only records refused on their own.
  package var wholeRequest = false
  /// Something the receiver said that is neither a retry nor a refusal (OTLP's `partialSuccess`: the
  /// collector dropped records and asks not to send them again), logged as a warning.
  package var notice: String?

  package init(retry: [Int] = [], rejected: [Int: String] = [:], retryAfter: Double? = nil, reason: String? = nil) {
    self.retry = retry
    self.rejected = rejected
    self.retryAfter = retryAfter
    self.reason = reason
  }

  /// Every record arrived.
  package static let delivered = DeliveryVerdict()

  package static func retryAll(_ count: Int, reason: String, after: Double? = nil) -> DeliveryVerdict {
    DeliveryVerdict(retry: Array(0..<count), retryAfter: after, reason: reason)
  }

  package static func rejectAll(_ count: Int, reason: String) -> DeliveryVerdict {
    var verdict = DeliveryVerdict(
      rejected: Dictionary(uniqueKeysWithValues: (0..<count).map { ($0, reason) }), reason: reason)
    verdict.wholeRequest = true
    return verdict
  }

  package var isDelivered: Bool { retry.isEmpty && rejected.isEmpty }

  /// The verdict of a whole-request HTTP status, for receivers that answer per request: 2xx delivered,
  /// 408/425/429/5xx retried (honouring `Retry-After`), any other status refused for good.
  package static func of(status: Int, count: Int, retryAfter: String?, reply: String) -> DeliveryVerdict {
    switch status {
    case 200..<300: return .delivered
    case 408, 425, 429, 500..<600:
      return .retryAll(count, reason: "HTTP \(status)\(reply)", after: retryAfter.flatMap(Self.seconds))
    default: return .rejectAll(count, reason: "HTTP \(status)\(reply)")
    }
  }

  /// `Retry-After` as seconds: a delay in seconds (HTTP dates are rare from these receivers and are
  /// treated as absent, so the backoff applies).
  static func seconds(_ header: String) -> Double? {
    guard let value = Double(header.trimmingWhitespace), value.isFinite, value >= 0 else {
      return nil
    }
    return min(value, 3_600)
  }
}
