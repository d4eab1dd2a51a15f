import VigilBase
import VigilEventsAPIModel

/// Leases: how several `vigil` processes sharing one store divide the work. A unit (one account ×
/// stream, `detection`, `sink:NAME`) is worked on by the one holder whose lease has not expired; the
/// holder renews it well before it does. Time is the store's own (PostgreSQL's clock for every
/// host), so hosts' clocks need not agree.
package protocol LeaseStore: Sendable {
  /// Takes `unit` for `holder` for `seconds` when nobody holds it or its lease has expired, or
  /// renews it when `holder` has it. Nil when another holder's lease is still running.
  func acquireLease(_ unit: String, holder: String, seconds: Double) async throws(StoreError) -> LeaseClaim?

  /// Gives the unit up at once (a clean stop), if `claim` still holds it.
  func releaseLease(_ claim: LeaseClaim) async throws(StoreError)

  /// Every lease, live or expired, by unit.
  func leases() async throws(StoreError) -> [Lease]

  /// Who held `unit` (every unit when nil) and when, oldest first: the audit trail that shows no unit
  /// had two holders at once.
  func leaseHistory(_ unit: String?) async throws(StoreError) -> [LeaseSpan]
}

/// What a holder has: the unit, and the epoch that fences its writes. A commit that carries a claim
/// succeeds only while the claim's epoch is the unit's current, unexpired lease, so a holder that
/// stalled past its lease cannot write after another took over.
package struct LeaseClaim: Hashable, Sendable {
  package var unit: String
  package var holder: String
  package var epoch: Int64

  package init(unit: String, holder: String, epoch: Int64) {
    self.unit = unit
    self.holder = holder
    self.epoch = epoch
  }
}

/// A unit's lease as stored.
package struct Lease: Hashable, Sendable {
  package var unit: String
  package var holder: String
  package var epoch: Int64
  package var acquiredAt: Timestamp
  package var expiresAt: Timestamp
  /// Whether it was live when read (by the store's clock).
  package var isLive: Bool

  package init(unit: String, holder: String, epoch: Int64, acquiredAt: Timestamp, expiresAt: Timestamp, isLive: Bool) {
    self.unit = unit
    self.holder = holder
    self.epoch = epoch
    self.acquiredAt = acquiredAt
    self.expiresAt = expiresAt
    self.isLive = isLive
  }
}

/// One holder's time with a unit: from taking it to releasing it, or to the last moment its lease
/// ran (a holder that died), or open while it still holds it.
package struct LeaseSpan: Hashable, Sendable {
  package var unit: String
  package var holder: String
  package var epoch: Int64
  package var from: Timestamp
  package var until: Timestamp?

  package init(unit: String, holder: String, epoch: Int64, from: Timestamp, until: Timestamp?) {
    self.unit = unit
    self.holder = holder
    self.epoch = epoch
    self.from = from
    self.until = until
  }
}

/// The names of the units that processes share.
package enum LeaseUnit {
  /// One account × stream's collection.
  package static func collect(_ key: StreamKey) -> String { "collect:\(key.account)/\(key.stream.rawValue)" }
  /// The detection engine (one for the whole store).
  package static let detection = "detection"
  /// One sink's delivery.
  package static func sink(_ name: String) -> String { "sink:\(name)" }
  /// Sending the notification outbox (one sender, so that no notification goes out twice at once).
  package static let notifications = "notifications"
}

/// A service that runs behind a lease and fences its own writes with the claim (detection's commits,
/// a sink's checkpoint): a holder that stalled past its lease has them refused with
/// ``StoreError/leaseLost(unit:)`` instead of writing over the new holder's progress.
package protocol LeaseFenced: Sendable {
  /// The same service, its writes fenced by `claim`.
  func fenced(by claim: LeaseClaim) -> Self
}

extension Array where Element == LeaseSpan {
  /// Spans of the same unit that overlap in time (each pair once): none means no unit ever had two
  /// holders at once.
  package var overlaps: [(LeaseSpan, LeaseSpan)] {
    var found: [(LeaseSpan, LeaseSpan)] = []
    for spans in Dictionary(grouping: self, by: \.unit).values {
      let sorted = spans.sorted { ($0.from, $0.epoch) < ($1.from, $1.epoch) }
      for (earlier, later) in zip(sorted, sorted.dropFirst()) {
        guard let end = earlier.until, end <= later.from else {
          found.append((earlier, later))
          continue
        }
      }
    }
    return found
  }
}
