/// An instant with nanosecond precision, parsed from and printed as RFC 3339.
///
/// The API sends `Z` with up to nine fraction digits in real data and numeric offsets in its examples;
/// both parse to the same instant. Printing is always UTC with the fraction trimmed.
package struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
  /// Seconds since 1970-01-01T00:00:00Z.
  package var seconds: Int64
  /// 0 ..< 1_000_000_000.
  package var nanoseconds: Int32

  package init(seconds: Int64, nanoseconds: Int32 = 0) {
    self.seconds = seconds
    self.nanoseconds = nanoseconds
  }

  /// The instants RFC 3339 can write: 0001-01-01T00:00:00Z through 9999-12-31T23:59:59Z.
  package static let earliestSeconds: Int64 = -62_135_596_800
  package static let latestSeconds: Int64 = 253_402_300_799

  /// From fractional seconds since the epoch (loses precision below ~100 ns; for clocks, not data).
  /// Values outside what RFC 3339 can write (a token's `exp` of 1e300, NaN) are clamped, never trapped on.
  package init(epochSeconds: Double) {
    guard epochSeconds.isFinite else {
      self.init(seconds: epochSeconds > 0 ? Self.latestSeconds : epochSeconds < 0 ? Self.earliestSeconds : 0)
      return
    }
    guard epochSeconds >= Double(Self.earliestSeconds) else {
      self.init(seconds: Self.earliestSeconds)
      return
    }
    guard epochSeconds <= Double(Self.latestSeconds) else {
      self.init(seconds: Self.latestSeconds)
      return
    }
    let whole = epochSeconds.rounded(.down)
    self.init(seconds: Int64(whole), nanoseconds: Int32(((epochSeconds - whole) * 1e9).rounded(.down)))
  }

  package var epochSeconds: Double { Double(seconds) + Double(nanoseconds) / 1e9 }

  package static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
    (lhs.seconds, lhs.nanoseconds) < (rhs.seconds, rhs.nanoseconds)
  }

  package func adding(seconds delta: Double) -> Timestamp {
    // Far-off sums stay within what can be written instead of trapping.
    let span = Double(Self.latestSeconds - Self.earliestSeconds)
    let delta = delta.isFinite ? min(max(delta, -span), span) : 0
    let total = Double(nanoseconds) + delta.truncatingRemainder(dividingBy: 1) * 1e9
    var whole = min(max(seconds &+ Int64(delta.rounded(.towardZero)), Self.earliestSeconds - 1), Self.latestSeconds + 1)
    var nanos = Int64(total.rounded())
    if nanos < 0 {
      nanos += 1_000_000_000
      whole -= 1
    } else if nanos >= 1_000_000_000 {
      nanos -= 1_000_000_000
      whole += 1
    }
    return Timestamp(seconds: whole, nanoseconds: Int32(nanos))
  }

  /// Parses RFC 3339 `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`; `t`/`z` and a space separator are accepted.
  package init?(rfc3339 text: String) {
    var copy = text
    guard let parsed = copy.withUTF8({ Self.parse($0) }) else { return nil }
    self = parsed
  }

  package init?(rfc3339Bytes bytes: UnsafeBufferPointer<UInt8>) {
    guard let parsed = Self.parse(bytes) else { return nil }
    self = parsed
  }

  private static func parse(_ b: UnsafeBufferPointer<UInt8>) -> Timestamp? {
    guard b.count >= 20 else { return nil }
    func digits(_ at: Int, _ count: Int) -> Int? {
      var value = 0
      for i in at..<(at + count) {
        let d = b[i] &- UInt8(ascii: "0")
        guard d < 10 else { return nil }
        value = value * 10 + Int(d)
      }
      return value
    }
    guard let year = digits(0, 4), b[4] == UInt8(ascii: "-"), let month = digits(5, 2), b[7] == UInt8(ascii: "-"),
      let day = digits(8, 2), b[10] | 0x20 == UInt8(ascii: "t") || b[10] == UInt8(ascii: " "),
      let hour = digits(11, 2), b[13] == UInt8(ascii: ":"), let minute = digits(14, 2), b[16] == UInt8(ascii: ":"),
      let second = digits(17, 2)
    else { return nil }
    guard (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month), hour < 24, minute < 60,
      second <= 60
    else { return nil }
    var index = 19
    var nanos = 0
    if b[index] == UInt8(ascii: ".") {
      index += 1
      var scale = 100_000_000
      let start = index
      while index < b.count, b[index] &- UInt8(ascii: "0") < 10 {
        nanos += Int(b[index] &- UInt8(ascii: "0")) * scale
        scale /= 10
        index += 1
      }
      guard index > start else { return nil }
    }
    guard index < b.count else { return nil }
    var offset = 0
    if b[index] | 0x20 == UInt8(ascii: "z") {
      index += 1
    } else if b[index] == UInt8(ascii: "+") || b[index] == UInt8(ascii: "-") {
      guard b.count - index >= 6, let oh = digits(index + 1, 2), b[index + 3] == UInt8(ascii: ":"),
        let om = digits(index + 4, 2), oh < 24, om < 60
      else { return nil }
      offset = (oh * 3600 + om * 60) * (b[index] == UInt8(ascii: "-") ? -1 : 1)
      index += 6
    } else {
      return nil
    }
    guard index == b.count else { return nil }
    let days = daysFromCivil(year: year, month: month, day: day)
    let total = Int64(days) * 86400 + Int64(hour * 3600 + minute * 60 + min(second, 59)) - Int64(offset)
    return Timestamp(seconds: total, nanoseconds: Int32(nanos))
  }

  /// RFC 3339 in UTC: `2024-05-01T12:00:00.123456789Z`, fraction trimmed of trailing zeros.
  package var rfc3339: String {
    let days = seconds >= 0 ? seconds / 86400 : (seconds - 86399) / 86400
    let secondOfDay = Int(seconds - days * 86400)
    let (year, month, day) = Self.civilFromDays(Int(days))
    func pad(_ value: Int, _ width: Int) -> String {
      let text = String(value)
      return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }
    var text =
      "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(secondOfDay / 3600, 2)):"
      + "\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2))"
    if nanoseconds > 0 {
      var fraction = pad(Int(nanoseconds), 9)
      while fraction.hasSuffix("0") { fraction.removeLast() }
      text += "." + fraction
    }
    return text + "Z"
  }

  package var description: String { rfc3339 }

  static func daysInMonth(year: Int, month: Int) -> Int {
    switch month {
    case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
  }

  /// Days since 1970-01-01 for a proleptic Gregorian date (H. Hinnant's algorithm).
  package static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146097 + doe - 719468
  }

  package static func civilFromDays(_ days: Int) -> (Int, Int, Int) {
    let z = days + 719468
    let era = (z >= 0 ? z : z - 146096) / 146097
    let doe = z - era * 146097
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let day = doy - (153 * mp + 2) / 5 + 1
    let month = mp < 10 ? mp + 3 : mp - 9
    return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
  }
}
