import VigilBase
import VigilCore
import VigilEventsAPIModel

/// Events are kept in one table per stream and calendar month (UTC) of event time. A month's table is
/// made the first time an event of that month arrives (a backfill reaches back years), and dropped
/// whole by retention once every event in it is past the cutoff and processed.
struct MonthPartition: Hashable, Sendable {
  var stream: EventStream
  /// Months since 1970-01 (negative before).
  var month: Int

  init(stream: EventStream, month: Int) {
    self.stream = stream
    self.month = month
  }

  /// The month holding `nanoseconds` of event time.
  init(stream: EventStream, nanoseconds: Int64) {
    let time = FieldValue.timestamp(nanoseconds: nanoseconds)
    let days = Int(time.seconds >= 0 ? time.seconds / 86_400 : (time.seconds - 86_399) / 86_400)
    let (year, month, _) = Timestamp.civilFromDays(days)
    self.init(stream: stream, month: (year - 1970) * 12 + (month - 1))
  }

  /// The partition a table name stands for (``table``); nil for any other name.
  init?(stream: EventStream, table: String) {
    let prefix = PostgresSchema.streamTable(stream) + "_"
    guard table.hasPrefix(prefix) else { return nil }
    var rest = Substring(table.dropFirst(prefix.count))
    let negative = rest.hasPrefix("bc")
    if negative { rest = rest.dropFirst(2) } else if rest.hasPrefix("y") { rest = rest.dropFirst() } else { return nil }
    let parts = rest.split(separator: "m")
    guard parts.count == 2, let year = Int(parts[0]), let month = Int(parts[1]), (1...12).contains(month) else {
      return nil
    }
    self.init(stream: stream, month: ((negative ? -year : year) - 1970) * 12 + (month - 1))
  }

  var year: Int { 1970 + Self.floorDivide(month, 12) }
  var monthOfYear: Int { month - Self.floorDivide(month, 12) * 12 + 1 }

  /// The first nanosecond of the month, and of the next (the range bound is exclusive).
  var lowerBound: Int64 { Self.start(year: year, month: monthOfYear) }
  var upperBound: Int64 { MonthPartition(stream: stream, month: month + 1).lowerBound }

  var table: String {
    let year = self.year
    let digits = String(abs(year))
    let padded = String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    let monthText = monthOfYear < 10 ? "0\(monthOfYear)" : "\(monthOfYear)"
    return "\(PostgresSchema.streamTable(stream))_\(year < 0 ? "bc" : "y")\(padded)m\(monthText)"
  }

  /// Idempotent: a partition another process made a moment ago is left alone.
  var createSQL: String {
    "CREATE TABLE IF NOT EXISTS \(table) PARTITION OF \(PostgresSchema.streamTable(stream)) "
      + "FOR VALUES FROM (\(lowerBound)) TO (\(upperBound))"
  }

  private static func start(year: Int, month: Int) -> Int64 {
    let days = Int64(Timestamp.daysFromCivil(year: year, month: month, day: 1))
    let (nanoseconds, overflow) = days.multipliedReportingOverflow(by: 86_400_000_000_000)
    return overflow ? (days < 0 ? Int64.min : Int64.max) : nanoseconds
  }

  private static func floorDivide(_ value: Int, _ divisor: Int) -> Int {
    value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor)
  }
}
