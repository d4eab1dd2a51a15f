import VigilBase
import VigilEventsAPIModel
import VigilJSON

/// One account's Events API request budget as its collector last saw it: what Vigil itself spent
/// in the last minute and hour against the documented limits, what the server last said was left,
/// and whether requests are held back (after a 429 or a spent budget). The collector records it after
/// each page it commits and each failure, so the health page and `vigil status` can show it from
/// another process.
package struct RateStatus: Hashable, Sendable {
  package var account: String
  package var usedLastMinute: Int
  package var usedLastHour: Int
  package var limitPerMinute: Int
  package var limitPerHour: Int
  /// `RateLimit-Remaining` from the newest answer that carried it (the server's own count).
  package var serverRemaining: Int?
  /// No request leaves before this time (a `Retry-After` or `RateLimit-Reset` being honoured).
  package var heldUntil: Timestamp?
  package var recordedAt: Timestamp

  package init(
    account: String, usedLastMinute: Int, usedLastHour: Int, limitPerMinute: Int, limitPerHour: Int,
    serverRemaining: Int? = nil, heldUntil: Timestamp? = nil, recordedAt: Timestamp
  ) {
    self.account = account
    self.usedLastMinute = usedLastMinute
    self.usedLastHour = usedLastHour
    self.limitPerMinute = limitPerMinute
    self.limitPerHour = limitPerHour
    self.serverRemaining = serverRemaining
    self.heldUntil = heldUntil
    self.recordedAt = recordedAt
  }

  /// The status of `account` from its token's budget, recorded at `time`.
  package init(account: String, usage: RateUsage, at time: Timestamp) {
    self.init(
      account: account, usedLastMinute: usage.lastMinute, usedLastHour: usage.lastHour,
      limitPerMinute: usage.limits.perMinute, limitPerHour: usage.limits.perHour,
      serverRemaining: usage.serverRemaining, heldUntil: usage.heldUntil.map { Timestamp(epochSeconds: $0) },
      recordedAt: time)
  }

  /// The share of the hourly budget spent, 0–100.
  package var hourPercent: Int {
    guard limitPerHour > 0 else { return 0 }
    return min(100, usedLastHour * 100 / limitPerHour)
  }

  /// The status as `vigil status --format json` and `GET /api/health` give it.
  package func write(into writer: inout JSONWriter) {
    writer.beginObject()
    writer.field("account", account)
    writer.field("used_last_minute", usedLastMinute)
    writer.field("used_last_hour", usedLastHour)
    writer.field("limit_per_minute", limitPerMinute)
    writer.field("limit_per_hour", limitPerHour)
    writer.field("server_remaining", serverRemaining)
    writer.field("held_until", heldUntil?.rfc3339)
    writer.field("recorded_at", recordedAt.rfc3339)
    writer.endObject()
  }
}
