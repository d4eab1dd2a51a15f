import VigilBase
import VigilEventsAPIModel

/// What a catalog field holds for one event.
package enum FieldValue: Hashable, Sendable {
  case string(String)
  case integer(Int64)
  case double(Double)
  case time(Timestamp)

  /// Timestamps are stored and compared as nanoseconds since the epoch (fits until 2262).
  /// Nanoseconds since the epoch, as stored. Int64 nanoseconds end in 2262 (and begin in 1677): times
  /// beyond saturate at the ends instead of wrapping into another century.
  package static func nanoseconds(_ time: Timestamp) -> Int64 {
    let (product, overflow) = time.seconds.multipliedReportingOverflow(by: 1_000_000_000)
    if overflow { return time.seconds < 0 ? .min : .max }
    let (sum, carry) = product.addingReportingOverflow(Int64(time.nanoseconds))
    return carry ? .max : sum
  }

  package static func timestamp(nanoseconds: Int64) -> Timestamp {
    let seconds = nanoseconds >= 0 ? nanoseconds / 1_000_000_000 : (nanoseconds + 1) / 1_000_000_000 - 1
    return Timestamp(seconds: seconds, nanoseconds: Int32(nanoseconds - seconds * 1_000_000_000))
  }
}

/// How a field's values compare and how they are stored.
package enum FieldType: String, Hashable, Sendable, CaseIterable {
  /// Exact strings: identifiers, codes, emails.
  case keyword
  /// Human text (names): also matched by free-text search.
  case text
  case integer
  case double
  /// An instant, nanosecond precision.
  case time
  /// An IPv4 or IPv6 address (matched by CIDR in queries).
  case ip
}
