import VigilBase
import VigilCore
import VigilEventsAPIModel

/// Instants and durations as people write them: `2026-11-01`, `2026-11-01T09:30:00Z`, `now`, `now-24h`,
/// `-7d`, `today`, `yesterday`; durations `30s`, `15m`, `1h`, `7d`, `2w`. Days are UTC days.
package enum TimeExpression {
  package static let second: Int64 = 1_000_000_000
  package static let day: Int64 = 86_400 * second

  /// A duration such as `1h` in nanoseconds, or nil.
  package static func duration(_ text: some StringProtocol) -> Int64? {
    guard let unit = text.last, text.count >= 2, text.count <= 12 else { return nil }
    guard let amount = Int64(text.dropLast()), amount > 0, amount <= 10_000 else { return nil }
    let scale: Int64
    switch unit {
    case "s": scale = second
    case "m": scale = 60 * second
    case "h": scale = 3600 * second
    case "d": scale = day
    case "w": scale = 7 * day
    default: return nil
    }
    return amount * scale
  }

  /// An instant in nanoseconds since the epoch, or nil.
  package static func instant(_ text: String, now: Int64) -> Int64? {
    let lowered = text.lowercased()
    switch lowered {
    case "now": return now
    case "today": return Rollup.floor(now, day)
    case "yesterday": return Rollup.floor(now, day) - day
    default: break
    }
    if lowered.hasPrefix("now-") || lowered.hasPrefix("now+") {
      guard let offset = duration(lowered.dropFirst(4)) else { return nil }
      return lowered.dropFirst(3).first == "-" ? now - offset : now + offset
    }
    if lowered.hasPrefix("-"), let offset = duration(lowered.dropFirst()) { return now - offset }
    if let date = date(text) { return date }
    guard text.count <= 40, let time = Timestamp(rfc3339: text), Self.seconds.contains(time.seconds) else { return nil }
    return FieldValue.nanoseconds(time)
  }

  /// Instants are nanoseconds in 64 bits: years 1900 to 2200 keep every sum and shift in range.
  static let years: ClosedRange<Int64> = 1900...2200
  static let seconds: ClosedRange<Int64> = -2_208_988_800...7_258_118_400
  /// The first and last instants (1900-01-01, 2200-01-01) in nanoseconds.
  package static let earliest = seconds.lowerBound * 1_000_000_000
  package static let latest = seconds.upperBound * 1_000_000_000

  /// `YYYY-MM-DD` as the start of that UTC day.
  package static func date(_ text: String) -> Int64? {
    let parts = text.split(separator: "-", omittingEmptySubsequences: false)
    guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
      parts.allSatisfy({ $0.allSatisfy(\.isASCII) }),
      let year = Int64(parts[0]), let month = Int64(parts[1]), let day = Int64(parts[2]),
      (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day), Self.years.contains(year)
    else { return nil }
    return daysFromCivil(year: year, month: month, day: day) * Self.day
  }

  /// A range as people say it: `last 24h`, `today`, `yesterday`, `24h` (the last 24 hours).
  package static func range(_ text: String, now: Int64) -> TimeRange? {
    let words = text.lowercased().split(separator: " ")
    if words.count == 2, words[0] == "last", let span = duration(words[1]) {
      return TimeRange(from: now - span, to: nil)
    }
    if words.count == 1 {
      if words[0] == "today" { return TimeRange(from: Rollup.floor(now, day), to: nil) }
      if words[0] == "yesterday" {
        let start = Rollup.floor(now, day) - day
        return TimeRange(from: start, to: start + day)
      }
      if let span = duration(words[0]) { return TimeRange(from: now - span, to: nil) }
    }
    return nil
  }

  private static func daysIn(month: Int64, year: Int64) -> Int64 {
    switch month {
    case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
  }

  /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
  private static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yearOfEra = y - era * 400
    let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    return era * 146_097 + dayOfEra - 719_468
  }
}

/// A half-open range of event times `[from, to)` in nanoseconds; nil bounds are open.
package struct TimeRange: Hashable, Sendable {
  package var from: Int64?
  package var to: Int64?

  package init(from: Int64? = nil, to: Int64? = nil) {
    self.from = from
    self.to = to
  }

  package static let all = TimeRange()

  package func intersection(_ other: TimeRange) -> TimeRange {
    TimeRange(
      from: [from, other.from].compactMap { $0 }.max(), to: [to, other.to].compactMap { $0 }.min())
  }

  package var isEmpty: Bool {
    if let from, let to { return from >= to }
    return false
  }

  package func contains(_ nanoseconds: Int64) -> Bool {
    (from.map { nanoseconds >= $0 } ?? true) && (to.map { nanoseconds < $0 } ?? true)
  }

  package func shifted(by offset: Int64) -> TimeRange {
    func shift(_ value: Int64) -> Int64 {
      let (result, overflow) = value.subtractingReportingOverflow(offset)
      return overflow ? (offset > 0 ? Int64.min : Int64.max) : result
    }
    return TimeRange(from: from.map(shift), to: to.map(shift))
  }
}
