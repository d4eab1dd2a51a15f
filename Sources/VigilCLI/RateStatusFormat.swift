import VigilBase
import VigilCore
import VigilJSON

/// The request-budget part of `vigil status`: per account, what the collector spent of the Events API's
/// limits in the last minute and hour, what the API said was left, and any hold.
enum RateStatusFormat {
  static func table(_ rates: [RateStatus], now: Timestamp) -> String {
    guard !rates.isEmpty else { return "" }
    var lines = [["ACCOUNT", "LAST MINUTE", "LAST HOUR", "API SAYS LEFT", "HELD UNTIL", "RECORDED"]]
    for rate in rates {
      lines.append([
        rate.account, "\(rate.usedLastMinute)/\(rate.limitPerMinute)",
        "\(rate.usedLastHour)/\(rate.limitPerHour) (\(rate.hourPercent)%)",
        rate.serverRemaining.map { $0.grouped } ?? "-",
        rate.heldUntil.flatMap { $0 > now ? String($0.rfc3339.prefix(19)) + "Z" : nil } ?? "-",
        StatusCommand.age(rate.recordedAt, now: now) + " ago",
      ])
    }
    return StatusCommand.textTable(lines)
  }

  static func json(_ rates: [RateStatus], into writer: inout JSONWriter) {
    writer.beginArray()
    for rate in rates { rate.write(into: &writer) }
    writer.endArray()
  }
}
