import VigilBase

extension InMemoryEventStore: LeaseStore {
  package func acquireLease(_ unit: String, holder: String, seconds: Double) -> LeaseClaim? {
    let now = SystemClock().now
    let expires = now.adding(seconds: seconds)
    if let lease = leaseTable[unit], lease.expiresAt > now {
      guard lease.holder == holder else { return nil }
      leaseTable[unit]?.expiresAt = expires
      return LeaseClaim(unit: unit, holder: holder, epoch: lease.epoch)
    }
    if let previous = leaseTable[unit], let index = spans.lastIndex(where: { $0.epoch == previous.epoch }),
      spans[index].until == nil
    {
      spans[index].until = previous.expiresAt
    }
    leaseEpoch += 1
    leaseTable[unit] = Lease(
      unit: unit, holder: holder, epoch: leaseEpoch, acquiredAt: now, expiresAt: expires, isLive: true)
    spans.append(LeaseSpan(unit: unit, holder: holder, epoch: leaseEpoch, from: now, until: nil))
    return LeaseClaim(unit: unit, holder: holder, epoch: leaseEpoch)
  }

  package func releaseLease(_ claim: LeaseClaim) {
    guard let lease = leaseTable[claim.unit], lease.epoch == claim.epoch else { return }
    let now = SystemClock().now
    leaseTable[claim.unit]?.expiresAt = now
    if let index = spans.lastIndex(where: { $0.epoch == claim.epoch }) { spans[index].until = now }
  }

  package func leases() -> [Lease] {
    let now = SystemClock().now
    return leaseTable.values.sorted { $0.unit < $1.unit }.map { lease in
      var lease = lease
      lease.isLive = lease.expiresAt > now
      return lease
    }
  }

  package func leaseHistory(_ unit: String?) -> [LeaseSpan] {
    spans.filter { unit == nil || $0.unit == unit }
  }

  /// Whether `claim` is its unit's live lease now (commits carrying a claim check it).
  func holds(_ claim: LeaseClaim) -> Bool {
    guard let lease = leaseTable[claim.unit] else { return false }
    return lease.epoch == claim.epoch && lease.expiresAt > SystemClock().now
  }
}
